import type { CfnValue } from "./yaml-cfn.js";

export interface Intrinsic {
  name: string;
  arg: CfnValue;
  line: number;
}

/** The intrinsic function a value calls (`{Ref: X}`, `{"Fn::Sub": …}`), if any. */
export function asIntrinsic(value: CfnValue): Intrinsic | undefined {
  if (value.kind !== "map" || value.entries.length !== 1) return undefined;
  const [entry] = value.entries;
  if (!entry) return undefined;
  const isFunction =
    entry.key === "Ref" ||
    entry.key.startsWith("Fn::") ||
    // `Condition` is also an ordinary key (IAM statements), so only a name counts.
    (entry.key === "Condition" && entry.value.kind === "scalar");
  return isFunction ? { name: entry.key, arg: entry.value, line: value.line } : undefined;
}

/** Calls `visit` for every intrinsic function call inside `value`, outermost first. */
export function walkIntrinsics(value: CfnValue, visit: (call: Intrinsic) => void): void {
  const call = asIntrinsic(value);
  if (call) visit(call);
  if (value.kind === "map") for (const e of value.entries) walkIntrinsics(e.value, visit);
  if (value.kind === "seq") for (const item of value.items) walkIntrinsics(item, visit);
}

/** Calls `visit` for every mapping inside `value`, itself included. */
export function walkMaps(
  value: CfnValue,
  visit: (map: Extract<CfnValue, { kind: "map" }>) => void,
): void {
  if (value.kind === "map") {
    visit(value);
    for (const e of value.entries) walkMaps(e.value, visit);
  }
  if (value.kind === "seq") for (const item of value.items) walkMaps(item, visit);
}

/**
 * The `${…}` references of a Fn::Sub string, without `${!Literal}` escapes.
 * `${Res.Attr}` is returned whole; callers split on the first dot.
 */
export function subVariables(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    const name = (match[1] ?? "").trim();
    if (!name.startsWith("!")) names.push(name);
  }
  return names;
}

export const PSEUDO_PARAMETERS = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);
