import {
  type DescribeChangeSetOutput,
  type FormatStream,
  formatDifferences,
  fullDiff,
} from "@aws-cdk/cloudformation-diff";
import type { Parameter } from "@aws-sdk/client-cloudformation";
import type { DeclaredParameter } from "../parameters.js";
import type { CfnValue } from "../yaml-cfn.js";
import { parseCfnYaml } from "../yaml-cfn.js";

/** A template as CloudFormation's JSON form: intrinsics as their one-key objects. */
export function templateJson(value: CfnValue): unknown {
  if (value.kind === "scalar") return value.value;
  if (value.kind === "seq") return value.items.map(templateJson);
  return Object.fromEntries(value.entries.map((e) => [e.key, templateJson(e.value)]));
}

/** Parses a deployed template body (YAML or JSON, as GetTemplate returns it). */
export function parseTemplateBody(body: string): Record<string, unknown> {
  const parsed = parseCfnYaml(body);
  if (!parsed.ok) return {};
  const json = templateJson(parsed.root);
  return json && typeof json === "object" ? (json as Record<string, unknown>) : {};
}

/**
 * The resources that change, property by property with old and new values,
 * as `cdk diff` prints them (@aws-cdk/cloudformation-diff). The change set
 * tells it which changes replace a resource.
 */
export function propertyDiffLines(options: {
  current: Record<string, unknown>;
  next: Record<string, unknown>;
  changeSet?: DescribeChangeSetOutput;
}): string[] {
  // Parameters are shown with their values instead (parameterChangeLines).
  const strip = (t: Record<string, unknown>) => ({ ...t, Parameters: undefined });
  const diff = fullDiff(strip(options.current), strip(options.next), options.changeSet);
  if (diff.isEmpty) return [];
  const chunks: string[] = [];
  const stream = {
    columns: 120,
    write: (chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    },
  } as unknown as FormatStream;
  formatDifferences(stream, diff);
  return chunks
    .join("")
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line, i, all) => line !== "" || (i > 0 && all[i - 1] !== ""))
    .filter((line, i, all) => !(line === "" && i === all.length - 1));
}

/**
 * The template with `{"Ref": Parameter}` replaced by the parameter's value, so
 * the diff reads `3600 → 86400` rather than `3600 → {"Ref": "Retention"}`.
 * Secret (NoEcho) parameters stay references.
 */
export function withParameterValues(
  template: Record<string, unknown>,
  values: Map<string, string>,
): Record<string, unknown> {
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== "object") return value;
    const entries = Object.entries(value);
    const [only] = entries;
    if (entries.length === 1 && only?.[0] === "Ref" && typeof only[1] === "string") {
      const known = values.get(only[1]);
      if (known !== undefined) return known;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]));
  };
  return { ...template, Resources: resolve(template.Resources) };
}

/** Parameter values by name: sent ones, and previous ones where the previous value is kept. */
export function parameterValues(options: {
  declared: DeclaredParameter[];
  previous: Parameter[] | undefined;
  next?: Parameter[];
}): Map<string, string> {
  const secret = new Set(options.declared.filter((p) => p.secret).map((p) => p.name));
  const values = new Map<string, string>();
  for (const p of options.previous ?? []) {
    if (p.ParameterKey && p.ParameterValue !== undefined)
      values.set(p.ParameterKey, p.ParameterValue);
  }
  for (const p of options.next ?? []) {
    if (p.ParameterKey && p.ParameterValue !== undefined && !p.UsePreviousValue) {
      values.set(p.ParameterKey, p.ParameterValue);
    }
  }
  for (const name of secret) values.delete(name);
  return values;
}

/** `Key: old → new` for each parameter whose value changes; NoEcho values stay hidden. */
export function parameterChangeLines(options: {
  declared: DeclaredParameter[];
  previous: Parameter[] | undefined;
  next: Parameter[];
}): string[] {
  const lines: string[] = [];
  const secret = new Set(options.declared.filter((p) => p.secret).map((p) => p.name));
  for (const parameter of options.next) {
    if (parameter.UsePreviousValue || !parameter.ParameterKey) continue;
    const key = parameter.ParameterKey;
    const before = options.previous?.find((p) => p.ParameterKey === key)?.ParameterValue;
    const after = parameter.ParameterValue ?? "";
    if (before === after) continue;
    const show = (v: string | undefined) =>
      v === undefined ? "(none)" : secret.has(key) ? "****" : JSON.stringify(v);
    lines.push(`  ${key}: ${show(before)} → ${show(after)}`);
  }
  return lines;
}
