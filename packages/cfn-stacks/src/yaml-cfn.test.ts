import { describe, expect, it } from "vitest";
import { parseCfnYaml } from "./yaml-cfn.js";

function plain(text: string): unknown {
  const result = parseCfnYaml(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const strip = (v: Extract<typeof result, { ok: true }>["root"]): unknown =>
    v.kind === "scalar"
      ? v.value
      : v.kind === "seq"
        ? v.items.map(strip)
        : Object.fromEntries(v.entries.map((e) => [e.key, strip(e.value)]));
  return strip(result.root);
}

describe("parseCfnYaml", () => {
  it("turns every short tag into its long form", () => {
    expect(
      plain(`
a: !Ref Name
b: !GetAtt Res.Arn
c: !Sub "x-\${Environment}"
d: !Join [",", [!Ref A, !Ref B]]
e: !If [Cond, 1, !Ref AWS::NoValue]
f: !Select [0, !GetAZs ""]
g: !ImportValue
  Fn::Sub: "name"
h: !Equals [!Ref A, ""]
i: !Not [!Condition C]
j: !Base64 |
  text
k: !Cidr [!Ref Block, 3, 8]
l: !FindInMap [M, k, v]
m: !Split [",", !Ref L]
n: !And [!Condition A, !Or [!Condition B, !Condition C]]
`),
    ).toEqual({
      a: { Ref: "Name" },
      b: { "Fn::GetAtt": "Res.Arn" },
      c: { "Fn::Sub": `x-$${"{"}Environment}` },
      d: { "Fn::Join": [",", [{ Ref: "A" }, { Ref: "B" }]] },
      e: { "Fn::If": ["Cond", 1, { Ref: "AWS::NoValue" }] },
      f: { "Fn::Select": [0, { "Fn::GetAZs": "" }] },
      g: { "Fn::ImportValue": { "Fn::Sub": "name" } },
      h: { "Fn::Equals": [{ Ref: "A" }, ""] },
      i: { "Fn::Not": [{ Condition: "C" }] },
      j: { "Fn::Base64": "text\n" },
      k: { "Fn::Cidr": [{ Ref: "Block" }, 3, 8] },
      l: { "Fn::FindInMap": ["M", "k", "v"] },
      m: { "Fn::Split": [",", { Ref: "L" }] },
      n: {
        "Fn::And": [{ Condition: "A" }, { "Fn::Or": [{ Condition: "B" }, { Condition: "C" }] }],
      },
    });
  });

  it("keeps the line of every key and value", () => {
    const result = parseCfnYaml("a: 1\nb:\n  c: !Ref X\n  d:\n    - 2\n");
    expect(result.ok).toBe(true);
    if (!result.ok || result.root.kind !== "map") return;
    const [a, b] = result.root.entries;
    expect(a?.keyLine).toBe(1);
    expect(b?.keyLine).toBe(2);
    if (b?.value.kind !== "map") throw new Error("b is a map");
    expect(b.value.entries.map((e) => [e.key, e.keyLine, e.value.line])).toEqual([
      ["c", 3, 3],
      ["d", 4, 5],
    ]);
  });

  it.each([
    ["a: !Reff X\n", 1, "unknown tag !Reff"],
    ["a: 1\na: 2\n", 2, "Map keys must be unique"],
    ["a: [1, 2\n", 2, ""],
    ["a: &x 1\nb: *x\n", 2, "YAML aliases are not supported by CloudFormation"],
    ["", 1, "the file is empty"],
  ])("reports %j at line %i", (text, line, reason) => {
    const result = parseCfnYaml(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.line).toBe(line);
    expect(result.problems[0]?.reason).toContain(reason);
  });
});
