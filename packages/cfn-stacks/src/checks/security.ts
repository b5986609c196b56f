import { asIntrinsic, walkMaps } from "../intrinsics.js";
import { SUPPORTED_LAMBDA_NODE_RUNTIMES } from "../lambda-runtime.js";
import type { Problem } from "../problems.js";
import { fieldOf, sectionOf, stringOf, type Template } from "../template.js";
import type { CfnMap, CfnValue } from "../yaml-cfn.js";

const WORLD = new Set(["0.0.0.0/0", "::/0"]);
const SSH_PORT = 22;

/** Literal strings of a value, or of the Default of a parameter it Refs. */
function literalStrings(value: CfnValue | undefined, template: Template): string[] | undefined {
  if (!value) return [];
  if (value.kind === "seq") {
    const all = value.items.map((item) => literalStrings(item, template));
    return all.some((a) => a === undefined) ? undefined : (all.flat() as string[]);
  }
  if (value.kind === "scalar") return value.value === null ? [] : [String(value.value)];
  const call = asIntrinsic(value);
  if (call?.name === "Ref") {
    const parameter = sectionOf(template, "Parameters");
    const declared = parameter ? fieldOf(parameter, stringOf(call.arg) ?? "") : undefined;
    if (declared?.kind === "map") return literalStrings(fieldOf(declared, "Default"), template);
  }
  return undefined;
}

/** `Allow` statements whose actions include `*` on resources that include `*`. */
function checkStatements(
  document: CfnValue,
  template: Template,
  report: (l: number, r: string) => void,
) {
  walkMaps(document, (map) => {
    if (stringOf(fieldOf(map, "Effect")) !== "Allow") return;
    const actions = literalStrings(fieldOf(map, "Action"), template) ?? [];
    const resources = literalStrings(fieldOf(map, "Resource"), template) ?? [];
    if (actions.some((a) => a === "*" || a === "*:*") && resources.includes("*")) {
      report(map.line, "an IAM statement allows every action (*) on every resource (*)");
    }
  });
}

/** A policy written as a JSON string is parsed so its statements are checked too. */
function jsonPolicies(template: Template): Array<{ value: CfnValue; line: number }> {
  const found: Array<{ value: CfnValue; line: number }> = [];
  walkMaps(template.root, (map) => {
    for (const entry of map.entries) {
      const text = stringOf(entry.value);
      if (!/PolicyDocument$|^PolicyDocument/.test(entry.key) || text === undefined) continue;
      try {
        found.push({ value: fromJson(JSON.parse(text), entry.value.line), line: entry.value.line });
      } catch {
        // Not JSON: the resource specification check reports the wrong shape.
      }
    }
  });
  return found;
}

function fromJson(value: unknown, line: number): CfnValue {
  if (Array.isArray(value))
    return { kind: "seq", line, items: value.map((v) => fromJson(v, line)) };
  if (value && typeof value === "object") {
    return {
      kind: "map",
      line,
      entries: Object.entries(value).map(([key, v]) => ({
        key,
        keyLine: line,
        value: fromJson(v, line),
      })),
    };
  }
  return { kind: "scalar", line, value: value as string | number | boolean | null };
}

/** Whether an ingress rule's port range includes 22 (unknown ranges count as yes). */
function coversSsh(rule: CfnMap, template: Template): boolean {
  const protocol = literalStrings(fieldOf(rule, "IpProtocol"), template)?.[0];
  if (protocol === "-1" || protocol === "all") return true;
  if (protocol !== undefined && protocol !== "tcp" && protocol !== "6") return false;
  const from = Number(literalStrings(fieldOf(rule, "FromPort"), template)?.[0] ?? Number.NaN);
  const to = Number(literalStrings(fieldOf(rule, "ToPort"), template)?.[0] ?? Number.NaN);
  if (Number.isNaN(from) || Number.isNaN(to)) return true;
  return (from === -1 && to === -1) || (from <= SSH_PORT && SSH_PORT <= to);
}

function isWorldOpen(rule: CfnMap, template: Template): boolean {
  return ["CidrIp", "CidrIpv6"].some((key) =>
    (literalStrings(fieldOf(rule, key), template) ?? []).some((cidr) => WORLD.has(cidr)),
  );
}

/**
 * Least privilege and exposure: no `*` action on `*` resource, no SSH open to
 * the world (a parameter's default counts), and Lambdas on the supported runtime.
 */
export function checkSecurity(template: Template): Problem[] {
  const { file } = template;
  const problems: Problem[] = [];
  const report = (line: number, reason: string) =>
    problems.push({ file, line, reason, rule: "restyled/security" });

  checkStatements(template.root, template, report);
  for (const policy of jsonPolicies(template)) checkStatements(policy.value, template, report);

  for (const { key, keyLine, value } of sectionOf(template, "Resources")?.entries ?? []) {
    if (value.kind !== "map") continue;
    const type = stringOf(fieldOf(value, "Type"));
    const properties = fieldOf(value, "Properties");
    if (properties?.kind !== "map") continue;
    const rules: Array<{ rule: CfnValue; line: number }> = [];
    if (type === "AWS::EC2::SecurityGroupIngress") rules.push({ rule: properties, line: keyLine });
    if (type === "AWS::EC2::SecurityGroup") {
      const ingress = fieldOf(properties, "SecurityGroupIngress");
      if (ingress?.kind === "seq")
        rules.push(...ingress.items.map((rule) => ({ rule, line: rule.line })));
    }
    for (const { rule, line } of rules) {
      if (rule.kind === "map" && isWorldOpen(rule, template) && coversSsh(rule, template)) {
        report(line, `${key} opens port 22 to the whole internet`);
      }
    }
    if (type === "AWS::Lambda::Function") {
      const runtime = fieldOf(properties, "Runtime");
      if (!SUPPORTED_LAMBDA_NODE_RUNTIMES.includes(stringOf(runtime) ?? "")) {
        const supported = SUPPORTED_LAMBDA_NODE_RUNTIMES.join(", ");
        report(
          runtime?.line ?? properties.line,
          `${key} must use a supported Node.js runtime (${supported})`,
        );
      }
    }
  }
  return problems;
}
