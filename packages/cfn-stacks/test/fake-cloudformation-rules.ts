import type { Parameter } from "@aws-sdk/client-cloudformation";
import {
  defaultText,
  parameterValueProblem,
  readParameterRules,
} from "../src/checks/parameter-rules.js";
import type { ResourceSpec } from "../src/checks/resource-spec.js";
import { WARM_POOL_RULES, warmPoolRefusals } from "../src/checks/warm-pool.js";
import { asIntrinsic, walkIntrinsics } from "../src/intrinsics.js";
import { fieldOf, stringOf } from "../src/template.js";
import { cloudFormationProblems } from "../src/validate.js";
import { type CfnMap, type CfnValue, parseCfnYaml } from "../src/yaml-cfn.js";

/**
 * What the fake CloudFormation knows of a template once it accepted it: the
 * parameter values in force and the export and import names they resolve to.
 */
export interface AcceptedTemplate {
  body: string;
  values: Map<string, string>;
  exports: string[];
  imports: string[];
  /**
   * A resource the service refuses as CloudFormation provisions it (a warm
   * pool Auto Scaling will not take): executing the change set fails there
   * and rolls back.
   */
  provisioningFailure?: { logicalId: string; type: string; reason: string };
}

/** Why CloudFormation refuses a request, and how: an API error, or a FAILED change set. */
export type Refusal =
  | { kind: "error"; name: string; message: string }
  | { kind: "failed"; reason: string };

// CloudFormation's own limit on TemplateBody (CreateChangeSet API reference).
const MAX_TEMPLATE_BODY = 51_200;
// Property checks are what CloudFormation's change-set validation reports per
// resource; everything else is a template format error of the API call.
const PROPERTY_RULES = new Set(["E3002", "E3003", "E3012"]);
const IAM_TYPES = /^AWS::IAM::(Role|User|Group|Policy|ManagedPolicy|InstanceProfile|AccessKey)$/;
const IAM_NAMES = ["RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"];

const mapSection = (root: CfnMap, name: string): CfnMap | undefined => {
  const value = fieldOf(root, name);
  return value?.kind === "map" ? value : undefined;
};

/** Evaluates what can be known before resources exist: literals, parameters, pseudo parameters. */
function evaluate(value: CfnValue, scope: Map<string, string>): string | undefined {
  if (value.kind === "scalar") return value.value === null ? "" : String(value.value);
  const call = asIntrinsic(value);
  if (!call) return undefined;
  if (call.name === "Ref") return scope.get(stringOf(call.arg) ?? "");
  if (call.name === "Fn::Sub") {
    const [textValue, locals] = call.arg.kind === "seq" ? call.arg.items : [call.arg];
    const text = textValue && stringOf(textValue);
    if (text === undefined) return undefined;
    const inner = new Map(scope);
    for (const e of locals?.kind === "map" ? locals.entries : []) {
      const v = evaluate(e.value, scope);
      if (v !== undefined) inner.set(e.key, v);
    }
    let failed = false;
    const result = text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith("!")) return `\${${name.slice(1)}}`;
      const v = inner.get(name.trim());
      if (v === undefined) failed = true;
      return v ?? whole;
    });
    return failed ? undefined : result;
  }
  if (call.name === "Fn::Join" && call.arg.kind === "seq") {
    const [separator, list] = call.arg.items;
    const parts = list?.kind === "seq" ? list.items.map((i) => evaluate(i, scope)) : [];
    if (separator === undefined || parts.some((p) => p === undefined)) return undefined;
    return parts.join(evaluate(separator, scope) ?? "");
  }
  return undefined;
}

/** The values of the template's parameters as CloudFormation would resolve them, or why not. */
function resolveParameterValues(options: {
  root: CfnMap;
  given: Parameter[];
  previous?: Map<string, string>;
}): Map<string, string> | Refusal {
  const declared = mapSection(options.root, "Parameters")?.entries ?? [];
  const names = new Set(declared.map((e) => e.key));
  const unknown = options.given.map((p) => p.ParameterKey ?? "").filter((k) => !names.has(k));
  if (unknown.length > 0) {
    return error(`Parameters: [${unknown.join(", ")}] do not exist in the template`);
  }
  const values = new Map<string, string>();
  const missing: string[] = [];
  for (const { key, value } of declared) {
    if (value.kind !== "map") continue;
    const given = options.given.find((p) => p.ParameterKey === key);
    let text: string | undefined;
    if (given?.UsePreviousValue) {
      text = options.previous?.get(key);
      if (text === undefined) {
        return error(
          `Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
        );
      }
    } else text = given?.ParameterValue ?? defaultText(value);
    if (text === undefined) {
      missing.push(key);
      continue;
    }
    const rules = readParameterRules(key, value);
    const problem = rules && parameterValueProblem(rules, text);
    if (problem) return error(problem);
    values.set(key, text);
  }
  if (missing.length > 0) return error(`Parameters: [${missing.join(", ")}] must have values`);
  return values;
}

const error = (message: string, name = "ValidationError"): Refusal => ({
  kind: "error",
  name,
  message,
});

/** The capabilities a template needs: IAM resources need CAPABILITY_IAM, named ones CAPABILITY_NAMED_IAM. */
function requiredCapability(root: CfnMap): string | undefined {
  let needed: string | undefined;
  for (const { value } of mapSection(root, "Resources")?.entries ?? []) {
    const type = value.kind === "map" ? stringOf(fieldOf(value, "Type")) : undefined;
    if (!type || !IAM_TYPES.test(type) || value.kind !== "map") continue;
    const properties = fieldOf(value, "Properties");
    const named = properties?.kind === "map" && IAM_NAMES.some((n) => fieldOf(properties, n));
    if (named) return "CAPABILITY_NAMED_IAM";
    needed = "CAPABILITY_IAM";
  }
  return needed;
}

/**
 * Checks a CreateChangeSet request as CloudFormation does before any resource
 * changes: the template (its format rules, not this project's lint), the
 * capabilities, the parameters against their constraints, and the imports
 * against the exports of the other stacks.
 */
export function acceptChangeSet(options: {
  body: string | undefined;
  parameters: Parameter[];
  capabilities: string[];
  stackName: string;
  previous?: Map<string, string>;
  /** Export name → exporting stack, over every live stack. */
  exports: Map<string, string>;
  spec: ResourceSpec;
}): AcceptedTemplate | Refusal {
  const { body } = options;
  if (body === undefined) return error("Either Template URL or Template Body must be specified.");
  if (Buffer.byteLength(body) > MAX_TEMPLATE_BODY) {
    return error(
      `1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TEMPLATE_BODY}`,
    );
  }
  const problems = cloudFormationProblems(body, options.spec);
  // What the service refuses at provisioning is judged below, with the values given.
  const readable = problems.filter((p) => !WARM_POOL_RULES.has(p.rule ?? ""));
  const format = readable.find((p) => !PROPERTY_RULES.has(p.rule ?? ""));
  if (format) return error(`Template format error: ${format.reason}`);
  const parsed = parseCfnYaml(body);
  if (!parsed.ok || parsed.root.kind !== "map") return error("Template format error: unreadable");
  const root = parsed.root;
  const capability = requiredCapability(root);
  if (capability && !options.capabilities.includes(capability)) {
    return error(`Requires capabilities : [${capability}]`, "InsufficientCapabilitiesException");
  }
  const values = resolveParameterValues({
    root,
    given: options.parameters,
    previous: options.previous,
  });
  if (!(values instanceof Map)) return values;
  const property = readable[0];
  if (property) {
    return { kind: "failed", reason: `Properties validation failed: ${property.reason}` };
  }
  const scope = new Map([
    ...values,
    ["AWS::Region", "us-east-1"],
    ["AWS::AccountId", "123456789012"],
    ["AWS::Partition", "aws"],
    ["AWS::URLSuffix", "amazonaws.com"],
    ["AWS::StackName", options.stackName],
  ]);
  const imports: string[] = [];
  let unresolved = false;
  walkIntrinsics(root, ({ name, arg }) => {
    if (name !== "Fn::ImportValue") return;
    const imported = evaluate(arg, scope);
    if (imported === undefined) unresolved = true;
    else imports.push(imported);
  });
  const missing = imports.find((name) => {
    const owner = options.exports.get(name);
    return owner === undefined || owner === options.stackName;
  });
  if (missing) return { kind: "failed", reason: `No export named ${missing} found` };
  if (unresolved) return { kind: "failed", reason: "the fake cannot resolve an ImportValue name" };
  const exports: string[] = [];
  for (const { value } of mapSection(root, "Outputs")?.entries ?? []) {
    const exported = value.kind === "map" ? fieldOf(value, "Export") : undefined;
    const name = exported?.kind === "map" ? fieldOf(exported, "Name") : undefined;
    const resolved = name && evaluate(name, scope);
    if (resolved) exports.push(resolved);
  }
  const resources = mapSection(root, "Resources");
  const conditions = mapSection(root, "Conditions");
  const [refused] = resources
    ? warmPoolRefusals(
        resources,
        (value) => {
          const text = evaluate(value, scope);
          return text === undefined ? undefined : { text };
        },
        (resource) => {
          const name = stringOf(fieldOf(resource, "Condition"));
          return !name || conditionHolds(conditions, name, scope) !== false;
        },
      )
    : [];
  const provisioningFailure = refused && {
    logicalId: refused.logicalId,
    type: "AWS::AutoScaling::WarmPool",
    reason: `Resource handler returned message: "${refused.serviceReason}" (HandlerErrorCode: InvalidRequest)`,
  };
  return {
    body,
    values,
    exports,
    imports,
    ...(provisioningFailure ? { provisioningFailure } : {}),
  };
}

/** A condition's value from parameter values, or undefined when the fake cannot tell. */
function conditionHolds(
  conditions: CfnMap | undefined,
  name: string,
  scope: Map<string, string>,
  depth = 0,
): boolean | undefined {
  const value = conditions && fieldOf(conditions, name);
  if (!value || depth > 20) return undefined;
  const holds = (v: CfnValue): boolean | undefined => {
    const call = asIntrinsic(v);
    if (!call) return undefined;
    const args = call.arg.kind === "seq" ? call.arg.items : [];
    if (call.name === "Condition") {
      return conditionHolds(conditions, stringOf(call.arg) ?? "", scope, depth + 1);
    }
    if (call.name === "Fn::Equals") {
      const [a, b] = args.map((arg) => evaluate(arg, scope));
      return a === undefined || b === undefined ? undefined : a === b;
    }
    const parts = args.map(holds);
    if (call.name === "Fn::Not") return parts[0] === undefined ? undefined : !parts[0];
    if (parts.some((p) => p === undefined)) return undefined;
    if (call.name === "Fn::And") return parts.every(Boolean);
    if (call.name === "Fn::Or") return parts.some(Boolean);
    return undefined;
  };
  return holds(value);
}
