import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { validateStacks } from "../src/validate.js";

const rules = fileURLToPath(new URL("./fixtures/validate/rules", import.meta.url));
const fixtures = readdirSync(rules)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => basename(f, ".yaml"))
  .sort();

/** `# rule: E1 E2` on the first line: the rules the fixture breaks, the first its subject. */
function declaredRules(text: string): string[] {
  return (
    text
      .match(/^# rule: (.+)$/m)?.[1]
      ?.trim()
      .split(/\s+/) ?? []
  );
}

/** The problems a fixture announces with `# expect: reason` on the offending line. */
function expectedProblems(text: string): Array<{ line: number; reason: string }> {
  return text.split("\n").flatMap((line, i) => {
    const match = line.match(/# expect: (.+)$/);
    return match?.[1] ? [{ line: i + 1, reason: match[1].trim() }] : [];
  });
}

describe("one broken fixture per rule", () => {
  it.each(fixtures)("%s.yaml reports exactly the problems it marks", async (stack) => {
    const text = readFileSync(join(rules, `${stack}.yaml`), "utf8");
    const expected = expectedProblems(text);
    const ruleIds = declaredRules(text);
    expect(expected.length).toBeGreaterThan(0);
    expect(ruleIds.length).toBeGreaterThan(0);
    const { problems } = await validateStacks({ dir: rules, stacks: [stack] });
    expect(problems.map((p) => `${p.line}: ${p.reason}`)).toEqual(
      expected.map((e, i) =>
        problems[i]?.reason.includes(e.reason)
          ? `${e.line}: ${problems[i]?.reason}`
          : `${e.line}: …${e.reason}…`,
      ),
    );
    expect(problems.map((p) => p.rule)).toContain(ruleIds[0]);
    for (const problem of problems) expect(ruleIds).toContain(problem.rule);
  });
});

describe("CloudFormation's quotas", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** A valid template with `count` topics, parameters (Environment one of them), outputs or mappings. */
  function templateWith(section: string, count: number): string {
    const lines = ["Parameters:", "  Environment:", "    Type: String"];
    const topic = (name: string) => [
      `  ${name}:`,
      "    Type: AWS::SNS::Topic",
      "    Properties:",
      "      TopicName: !Ref Environment",
    ];
    const n = (i: number) => String(i).padStart(3, "0");
    if (section === "Parameters") {
      for (let i = 1; i < count; i++)
        lines.push(`  P${n(i)}:`, "    Type: String", "    Default: x");
    }
    if (section === "Mappings") {
      lines.push("Mappings:");
      for (let i = 0; i < count; i++) lines.push(`  M${n(i)}:`, "    k:", "      v: 1");
    }
    lines.push("Resources:");
    if (section === "Resources") for (let i = 0; i < count; i++) lines.push(...topic(`T${n(i)}`));
    else lines.push(...topic("Topic"));
    if (section === "Parameters") {
      lines.push("    Metadata:", "      Uses:");
      for (let i = 1; i < count; i++) lines.push(`        - !Ref P${n(i)}`);
    }
    if (section === "Outputs") {
      lines.push("Outputs:");
      for (let i = 0; i < count; i++) lines.push(`  O${n(i)}:`, "    Value: !Ref Topic");
    }
    return `${lines.join("\n")}\n`;
  }

  it.each([
    ["Resources", 500, "E3010"],
    ["Parameters", 200, "E2010"],
    ["Outputs", 200, "E6010"],
    ["Mappings", 200, "E7010"],
  ])("accepts %s at the quota of %i and reports one more (%s)", async (section, quota, rule) => {
    const dir = await mkdtemp(join(tmpdir(), "cfn-stacks-quota-"));
    dirs.push(dir);
    await writeFile(join(dir, "at.yaml"), templateWith(section, quota));
    await writeFile(join(dir, "over.yaml"), templateWith(section, quota + 1));
    const at = await validateStacks({ dir, stacks: ["at"] });
    expect(at.problems.filter((p) => p.rule !== "E1002")).toEqual([]);
    const over = await validateStacks({ dir, stacks: ["over"] });
    const quotaProblems = over.problems.filter((p) => p.rule === rule);
    expect(quotaProblems).toEqual([
      expect.objectContaining({
        reason: `${quota + 1} ${section}, over CloudFormation's quota of ${quota}`,
      }),
    ]);
  });

  it("reports a logical id over 255 characters", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cfn-stacks-quota-"));
    dirs.push(dir);
    const id = `T${"x".repeat(255)}`;
    await writeFile(
      join(dir, "long.yaml"),
      `Parameters:\n  Environment:\n    Type: String\nResources:\n  ${id}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref Environment\n`,
    );
    const { problems } = await validateStacks({ dir });
    expect(problems).toEqual([
      expect.objectContaining({ line: 5, reason: `logical id ${id} is over 255 characters` }),
    ]);
  });
});
