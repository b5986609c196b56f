import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli.js";
import { captureOutput } from "../src/output.js";
import { validateStacks } from "../src/validate.js";

const shippedStacks = fileURLToPath(new URL("../../../stacks", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures/validate", import.meta.url));

/** The problems a fixture announces with `# expect: reason` on the offending line. */
function expectedProblems(file: string): Array<{ line: number; reason: string }> {
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((text, i) => {
      const match = text.match(/# expect: (.+)$/);
      return match?.[1] ? [{ line: i + 1, reason: match[1].trim() }] : [];
    });
}

describe("validate on the shipped templates", () => {
  it("finds no problem in any of the five stacks", async () => {
    const result = await validateStacks({ dir: shippedStacks });
    expect(result.problems).toEqual([]);
    expect(result.templates.map((t) => t.stack)).toEqual([
      "iam",
      "machines",
      "ops",
      "services",
      "vpc",
    ]);
    expect(result.specSource).toMatch(/^@aws-cdk\/aws-service-spec@\d/);
  });

  it("prints a summary and exits 0 through the CLI", async () => {
    const out = captureOutput();
    const code = await runCli(["validate", "--stacks-dir", shippedStacks], { out });
    expect(code).toBe(0);
    expect(out.text()).toMatch(/^5 template\(s\) valid: iam, machines, ops, services, vpc/);
  });
});

describe("validate on broken fixtures", () => {
  const brokenStacks = [
    "parse-error",
    "unknown-tag",
    "missing-environment",
    "bad-structure",
    "bad-references",
    "bad-imports",
    "bad-spec",
    "bad-security",
  ];

  it.each(brokenStacks)("reports exactly the problems marked in %s.yaml", async (stack) => {
    const file = join(fixtures, `${stack}.yaml`);
    const expected = expectedProblems(file);
    expect(expected.length).toBeGreaterThan(0);
    const { problems } = await validateStacks({ dir: fixtures, stacks: [stack] });
    expect(problems.every((p) => basename(p.file) === `${stack}.yaml`)).toBe(true);
    expect(problems.map((p) => p.line)).toEqual(expected.map((e) => e.line));
    problems.forEach((problem, i) => {
      expect(problem.reason).toContain(expected[i]?.reason);
    });
  });

  it.each(["network", "tricky-valid"])("passes the valid fixture %s.yaml", async (stack) => {
    const { problems } = await validateStacks({ dir: fixtures, stacks: [stack] });
    expect(problems).toEqual([]);
  });

  it("prints file:line: reason and exits 1 through the CLI", async () => {
    const out = captureOutput();
    const errors: string[] = [];
    const code = await runCli(["validate", "unknown-tag", "--stacks-dir", fixtures], {
      out,
      printError: (line) => errors.push(line),
    });
    expect(code).toBe(1);
    expect(out.lines).toEqual([
      `${join(fixtures, "unknown-tag.yaml").replace(`${process.cwd()}/`, "")}:8: unknown tag !Reff`,
    ]);
    expect(errors).toEqual(["restyled-stacks: 1 problem(s) in 1 template(s)"]);
  });

  it("says which templates did not parse when an import finds no export", async () => {
    const { problems } = await validateStacks({ dir: fixtures, stacks: ["bad-imports"] });
    expect(problems[0]?.reason).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Sub variable
      "ImportValue fixture-${Environment}-Nope matches no export of the stacks here (parse-error, unknown-tag did not parse)",
    );
  });

  it("rejects an unknown stack name with exit 64 and names the known ones", async () => {
    const errors: string[] = [];
    const code = await runCli(["validate", "nope", "--stacks-dir", fixtures], {
      out: captureOutput(),
      printError: (line) => errors.push(line),
    });
    expect(code).toBe(64);
    expect(errors[0]).toMatch(/unknown stack nope; the stacks are bad-imports, .*network/);
  });
});

describe("validate leaves the templates alone", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("reports a template too large to send inline, at line 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cfn-stacks-"));
    dirs.push(dir);
    const padding = `${"# padding\n".repeat(6000)}`;
    await writeFile(
      join(dir, "big.yaml"),
      `${padding}${await readFile(join(fixtures, "network.yaml"), "utf8")}`,
    );
    const { problems } = await validateStacks({ dir });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(1);
    expect(problems[0]?.reason).toMatch(
      /^the template is 6\d{4} bytes, over CloudFormation's 51200/,
    );
  });

  it("reports an export name two stacks share, on the second one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cfn-stacks-"));
    dirs.push(dir);
    const network = await readFile(join(fixtures, "network.yaml"), "utf8");
    await writeFile(join(dir, "a.yaml"), network);
    await writeFile(join(dir, "b.yaml"), network);
    const { problems } = await validateStacks({ dir });
    expect(problems).toEqual([
      {
        file: expect.stringMatching(/b\.yaml$/),
        line: 16,
        reason: expect.stringMatching(
          /^output QueueArn: export fixture-.* is already exported by a;/,
        ),
        rule: "cfn/export-unique",
      },
    ]);
  });

  it("reports the services defect of issue 10 once per shared name, not as cycles too", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cfn-stacks-"));
    dirs.push(dir);
    for (const stack of ["iam", "services", "vpc"]) {
      let text = await readFile(join(shippedStacks, `${stack}.yaml`), "utf8");
      // Give the schedule rules back their parameters' names, as before the fix.
      if (stack === "services") text = text.replace(/^ {2}(\w+Schedule)Rule:$/gm, "  $1:");
      await writeFile(join(dir, `${stack}.yaml`), text);
    }
    const { problems } = await validateStacks({ dir, stacks: ["services"] });
    expect(problems.map((p) => [p.rule, p.reason.replace(/ at line \d+/, "")])).toEqual(
      ["HealthSchedule", "ReconcileSchedule", "SyncMarketplaceSchedule"].map((name) => [
        "E3007",
        `resource ${name} has the name of the parameter; resources and parameters must have unique names`,
      ]),
    );
  });

  it("does not modify a broken template it reads", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cfn-stacks-"));
    dirs.push(dir);
    const text = await readFile(join(fixtures, "bad-references.yaml"), "utf8");
    await writeFile(join(dir, "bad-references.yaml"), text);
    const { problems } = await validateStacks({ dir });
    expect(problems.length).toBeGreaterThan(0);
    expect(await readFile(join(dir, "bad-references.yaml"), "utf8")).toBe(text);
  });
});
