import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CfnValue, parseCfnYaml } from "@restyled/cfn-stacks";
import { describe, expect, it } from "vitest";

// Each daemon or function runs under one role of the stacks: every AWS call its
// source makes must be granted there (a missing grant fails only in
// production), and for the services it drives the role grants nothing it never
// calls (least privilege). Calls are read from the source: `new XCommand(` and
// `paginateX(`, attributed to the @aws-sdk client each file imports them from,
// plus the @restyled/core modules the tool imports.
const root = join(import.meta.dirname, "..", "..", "..");

/** IAM's service prefix for each SDK client package. */
const PREFIX: Record<string, string> = {
  "@aws-sdk/client-auto-scaling": "autoscaling",
  "@aws-sdk/client-cloudwatch": "cloudwatch",
  "@aws-sdk/client-cloudwatch-logs": "logs",
  "@aws-sdk/client-ecs": "ecs",
  "@aws-sdk/client-sqs": "sqs",
  "@aws-sdk/client-ssm": "ssm",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "simulate" ? [] : sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** `service:Action` for every call in these files. */
function callsIn(files: string[]): Set<string> {
  const calls = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(
      /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"(@aws-sdk\/client-[a-z-]+)"/g,
    )) {
      const prefix = PREFIX[match[2]!];
      if (!prefix) throw new Error(`${file}: no IAM prefix known for ${match[2]}`);
      for (const raw of match[1]!.split(",")) {
        const name = raw
          .replace(/^\s*type\s+/, "")
          .trim()
          .split(/\s+as\s+/)[0]!;
        const command = /^([A-Z][A-Za-z]+)Command$/.exec(name);
        const paginator = /^paginate([A-Z][A-Za-z]+)$/.exec(name);
        const action = command?.[1] ?? paginator?.[1];
        const used = command
          ? new RegExp(`new ${name}\\(`).test(text)
          : paginator
            ? new RegExp(`${name}\\(`).test(text)
            : false;
        // SQS authorizes a batch call with its single action's permission.
        if (action && used) calls.add(`${prefix}:${action.replace(/Batch$/, "")}`);
      }
    }
  }
  return calls;
}

/** The tool's own source and the core modules it imports. */
function toolFiles(tool: string): string[] {
  const own = sourceFiles(join(root, "packages", tool, "src"));
  const core = new Set<string>();
  for (const file of own) {
    for (const m of readFileSync(file, "utf8").matchAll(/from\s*"@restyled\/core\/([a-z-]+)"/g)) {
      core.add(join(root, "packages", "core", "src", `${m[1]}.ts`));
    }
  }
  return [...own, ...core];
}

function plain(value: CfnValue): unknown {
  if (value.kind === "scalar") return value.value;
  if (value.kind === "seq") return value.items.map(plain);
  return Object.fromEntries(value.entries.map((e) => [e.key, plain(e.value)]));
}

/** Every action the role's inline policies allow. */
function grantsOf(stack: string, role: string): Set<string> {
  const parsed = parseCfnYaml(readFileSync(join(root, "stacks", `${stack}.yaml`), "utf8"));
  if (!parsed.ok) throw new Error(`${stack}.yaml does not parse`);
  const template = plain(parsed.root) as {
    Resources: Record<
      string,
      {
        Properties: {
          Policies?: Array<{
            PolicyDocument: { Statement: Array<{ Effect: string; Action: string | string[] }> };
          }>;
        };
      }
    >;
  };
  const resource = template.Resources[role];
  if (!resource) throw new Error(`${stack}.yaml has no ${role}`);
  const grants = new Set<string>();
  for (const policy of resource.Properties.Policies ?? []) {
    for (const statement of policy.PolicyDocument.Statement) {
      if (statement.Effect !== "Allow") continue;
      for (const action of [statement.Action].flat()) grants.add(action);
    }
  }
  return grants;
}

const TOOLS = [
  { tool: "autoscale", stack: "ops", role: "AutoscaleRole" },
  { tool: "agent", stack: "machines", role: "MachineRole" },
];

describe("each tool's role grants exactly the AWS calls its source makes", () => {
  it("reads calls from imports, commands and paginators (the check can fail)", () => {
    const file = join(mkdtempSync(join(tmpdir(), "iam-coverage-")), "sample.ts");
    const sample = [
      'import { paginateDescribeWarmPool, SetInstanceProtectionCommand, TagResourceCommand } from "@aws-sdk/client-auto-scaling";',
      'import { ChangeMessageVisibilityBatchCommand } from "@aws-sdk/client-sqs";',
      "paginateDescribeWarmPool({ client }, {});",
      "new SetInstanceProtectionCommand({});",
      "new ChangeMessageVisibilityBatchCommand({});",
    ].join("\n");
    writeFileSync(file, sample);
    expect([...callsIn([file])].sort()).toEqual([
      "autoscaling:DescribeWarmPool",
      "autoscaling:SetInstanceProtection",
      "sqs:ChangeMessageVisibility",
    ]);
  });

  for (const { tool, stack, role } of TOOLS) {
    const calls = callsIn(toolFiles(tool));
    const grants = grantsOf(stack, role);

    it(`${tool}: ${stack}.yaml's ${role} grants every call`, () => {
      expect(calls.size).toBeGreaterThan(0);
      expect([...calls].filter((c) => !grants.has(c)).sort()).toEqual([]);
    });

    it(`${tool}: ${role} grants no action of those services that ${tool} never calls`, () => {
      const services = new Set([...calls].map((c) => c.split(":")[0]));
      const unused = [...grants].filter((g) => services.has(g.split(":")[0]) && !calls.has(g));
      expect(unused.sort()).toEqual([]);
    });
  }
});
