import { asIntrinsic } from "../intrinsics.js";
import { type Problem, problemCollector } from "../problems.js";
import { fieldOf, sectionOf, stringOf, type Template } from "../template.js";
import type { CfnMap, CfnValue } from "../yaml-cfn.js";
import { defaultText } from "./parameter-rules.js";

// What the Auto Scaling API refuses in a warm pool, which the resource's
// registry schema (and so cfn-lint) does not say: the stack fails when
// CloudFormation creates or updates the pool. From the API reference
// (PutWarmPool, WarmPoolConfiguration) and the user guide's "Limitations"
// of warm pools.
export const WARM_POOL_TYPE = "AWS::AutoScaling::WarmPool";
export const POOL_STATES = ["Stopped", "Running", "Hibernated"];
const MINIMUMS: Record<string, number> = { MinSize: 0, MaxGroupPreparedCapacity: -1 };

/** The rules whose failures CloudFormation meets while provisioning, not reading, a template. */
export const WARM_POOL_RULES = new Set(["E3030", "E3034", "cfn/warm-pool-group"]);

export interface ValueProblem {
  property: string;
  reason: string;
  rule: "E3030" | "E3034";
}

/**
 * Why Auto Scaling refuses a warm pool property's value (given as the text
 * CloudFormation sends), in the API's words, or undefined.
 */
export function warmPoolValueProblem(property: string, value: string): ValueProblem | undefined {
  if (property === "PoolState" && !POOL_STATES.includes(value)) {
    return {
      property,
      rule: "E3030",
      reason: `Value '${value}' at 'poolState' failed to satisfy constraint: Member must satisfy enum value set: [${POOL_STATES.join(", ")}]`,
    };
  }
  const minimum = MINIMUMS[property];
  if (minimum !== undefined && Number.isFinite(Number(value)) && Number(value) < minimum) {
    const field = property.charAt(0).toLowerCase() + property.slice(1);
    return {
      property,
      rule: "E3034",
      reason: `Value '${value}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to ${minimum}`,
    };
  }
  return undefined;
}

const CHECKED = ["PoolState", "MinSize", "MaxGroupPreparedCapacity"];

/** What a template sends for a value: its text, and the parameter it came from. */
export type Resolve = (value: CfnValue) => { text: string; parameter?: string } | undefined;

/** One warm pool Auto Scaling would refuse, and why. */
export interface WarmPoolRefusal {
  logicalId: string;
  line: number;
  /** For validate: the resource, the property and the service's words. */
  reason: string;
  /** The service's words alone, as the failed resource's status reason shows them. */
  serviceReason: string;
  rule: string;
}

// The PutWarmPool reference's words for the groups it refuses, paraphrased.
const GROUP_REFUSED =
  "A warm pool cannot be added to an Auto Scaling group that has a mixed instances policy or a launch template or launch configuration that requests Spot Instances";

/**
 * The warm pools of `resources` Auto Scaling would refuse: a value outside the
 * API's constraints (as `resolve` reads it), a group with a mixed instances
 * policy or Spot Instances, a second pool for one group. `included` leaves
 * out pools whose Condition is false.
 */
export function warmPoolRefusals(
  resources: CfnMap,
  resolve: Resolve,
  included: (resource: CfnMap) => boolean = () => true,
): WarmPoolRefusal[] {
  const refusals: WarmPoolRefusal[] = [];
  const pooledGroups = new Map<string, string>();
  for (const { key, keyLine, value } of resources.entries) {
    if (value.kind !== "map" || stringOf(fieldOf(value, "Type")) !== WARM_POOL_TYPE) continue;
    const properties = fieldOf(value, "Properties");
    if (properties?.kind !== "map" || !included(value)) continue;
    for (const property of CHECKED) {
      const given = fieldOf(properties, property);
      const resolved = given && resolve(given);
      const problem = resolved && warmPoolValueProblem(property, resolved.text);
      if (!problem || !given) continue;
      const via = resolved.parameter ? ` (the Default of ${resolved.parameter})` : "";
      refusals.push({
        logicalId: key,
        line: given.line,
        reason: `${key}.${property}${via}: ${problem.reason}`,
        serviceReason: `1 validation error detected: ${problem.reason}`,
        rule: problem.rule,
      });
    }
    const groupValue = fieldOf(properties, "AutoScalingGroupName");
    const ref = groupValue && asIntrinsic(groupValue);
    const group = ref?.name === "Ref" ? stringOf(ref.arg) : undefined;
    const groupResource = group ? fieldOf(resources, group) : undefined;
    if (!group || groupResource?.kind !== "map") continue;
    const line = groupValue?.line ?? keyLine;
    const earlier = pooledGroups.get(group);
    if (earlier) {
      refusals.push({
        logicalId: key,
        line,
        reason: `${key}: ${group} already has the warm pool ${earlier}; a group has one`,
        serviceReason: `A warm pool already exists for ${group}`,
        rule: "cfn/warm-pool-group",
      });
    }
    pooledGroups.set(group, key);
    const refusal = groupRefusal(groupResource, resources);
    if (refusal) {
      refusals.push({
        logicalId: key,
        line,
        reason: `${key}: a warm pool cannot be added to ${group}: ${refusal} (PutWarmPool)`,
        serviceReason: GROUP_REFUSED,
        rule: "cfn/warm-pool-group",
      });
    }
  }
  return refusals;
}

/**
 * The warm pools' values (literal, or the Default of the parameter they name,
 * which a stack created with defaults sends), and their groups: none with a
 * mixed instances policy or Spot instances, one pool per group.
 */
export function checkWarmPools(template: Template): Problem[] {
  const { problems, report } = problemCollector(template.file);
  const resources = sectionOf(template, "Resources");
  const parameters = sectionOf(template, "Parameters");
  if (!resources) return problems;
  const resolve: Resolve = (value) => literalOrDefault(value, parameters);
  for (const refusal of warmPoolRefusals(resources, resolve)) {
    report(refusal.line, refusal.reason, refusal.rule);
  }
  return problems;
}

function literalOrDefault(
  value: CfnValue,
  parameters: CfnMap | undefined,
): { text: string; parameter?: string } | undefined {
  if (value.kind === "scalar") return { text: value.value === null ? "" : String(value.value) };
  const call = asIntrinsic(value);
  const name = call?.name === "Ref" ? stringOf(call.arg) : undefined;
  const declaration = name && parameters ? fieldOf(parameters, name) : undefined;
  const text = declaration?.kind === "map" ? defaultText(declaration) : undefined;
  return text === undefined || !name ? undefined : { text, parameter: name };
}

/** Why Auto Scaling refuses a warm pool on this group, when the template shows it. */
function groupRefusal(group: CfnMap, resources: CfnMap): string | undefined {
  const properties = fieldOf(group, "Properties");
  if (properties?.kind !== "map") return undefined;
  if (fieldOf(properties, "MixedInstancesPolicy")) return "it has a MixedInstancesPolicy";
  const launched = (property: string, keys: string[]) => {
    let value = fieldOf(properties, property);
    if (value?.kind === "map" && keys.length > 0) {
      value = keys.map((k) => fieldOf(value as CfnMap, k)).find(Boolean);
    }
    const call = value && asIntrinsic(value);
    const id = call?.name === "Ref" ? stringOf(call.arg) : undefined;
    const target = id ? fieldOf(resources, id) : undefined;
    return target?.kind === "map" ? fieldOf(target, "Properties") : undefined;
  };
  const template = launched("LaunchTemplate", ["LaunchTemplateId", "LaunchTemplateName"]);
  const data = template?.kind === "map" ? fieldOf(template, "LaunchTemplateData") : undefined;
  const market = data?.kind === "map" ? fieldOf(data, "InstanceMarketOptions") : undefined;
  const marketType = market?.kind === "map" ? stringOf(fieldOf(market, "MarketType")) : undefined;
  if (marketType?.toLowerCase() === "spot") return "its launch template requests Spot Instances";
  const configuration = launched("LaunchConfigurationName", []);
  if (configuration?.kind === "map" && fieldOf(configuration, "SpotPrice")) {
    return "its launch configuration requests Spot Instances";
  }
  return undefined;
}
