import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Tags,
  YAMLMap,
  YAMLSeq,
} from "yaml";

/**
 * A template value with the line it came from. Short tags (`!Ref X`) become the
 * same one-key maps as their long form (`{Ref: X}`), so checks see one shape.
 */
export type CfnValue = CfnScalar | CfnMap | CfnSeq;

export interface CfnScalar {
  kind: "scalar";
  value: string | number | boolean | null;
  line: number;
}

export interface CfnEntry {
  key: string;
  keyLine: number;
  value: CfnValue;
}

export interface CfnMap {
  kind: "map";
  entries: CfnEntry[];
  line: number;
}

export interface CfnSeq {
  kind: "seq";
  items: CfnValue[];
  line: number;
}

export interface ParseProblem {
  line: number;
  reason: string;
}

export type ParseResult = { ok: true; root: CfnValue } | { ok: false; problems: ParseProblem[] };

/** CloudFormation's short-form tags and the long form each stands for. */
export const SHORT_TAGS: Record<string, string> = {
  "!Ref": "Ref",
  "!Condition": "Condition",
  "!Sub": "Fn::Sub",
  "!GetAtt": "Fn::GetAtt",
  "!ImportValue": "Fn::ImportValue",
  "!If": "Fn::If",
  "!Join": "Fn::Join",
  "!Select": "Fn::Select",
  "!GetAZs": "Fn::GetAZs",
  "!Split": "Fn::Split",
  "!FindInMap": "Fn::FindInMap",
  "!Equals": "Fn::Equals",
  "!Not": "Fn::Not",
  "!And": "Fn::And",
  "!Or": "Fn::Or",
  "!Base64": "Fn::Base64",
  "!Cidr": "Fn::Cidr",
  "!Transform": "Fn::Transform",
  "!Length": "Fn::Length",
  "!ToJsonString": "Fn::ToJsonString",
};

// Each tag may be written on a scalar, a sequence or a mapping; the parser
// only needs to accept them, the conversion happens in toCfnValue.
const customTags: Tags = Object.keys(SHORT_TAGS).flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: "seq" as const, nodeClass: YAMLSeq },
  { tag, collection: "map" as const, nodeClass: YAMLMap },
]);

/** Parses CloudFormation YAML, keeping each value's line number. */
export function parseCfnYaml(text: string): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    customTags,
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const lineOf = (offset: number | undefined) => lineCounter.linePos(offset ?? 0).line;
  const problems: ParseProblem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    line: lineOf(e.pos[0]),
    reason: e.message.replace(/^Unresolved tag: /, "unknown tag "),
  }));
  if (problems.length > 0) return { ok: false, problems };
  if (!doc.contents) return { ok: false, problems: [{ line: 1, reason: "the file is empty" }] };

  const convert = (node: Node | null | undefined, fallbackLine: number): CfnValue => {
    if (node === null || node === undefined)
      return { kind: "scalar", value: null, line: fallbackLine };
    const line = lineOf(node.range?.[0]);
    let value: CfnValue;
    if (isAlias(node)) {
      problems.push({ line, reason: "YAML aliases are not supported by CloudFormation" });
      value = { kind: "scalar", value: null, line };
    } else if (isMap(node)) {
      const entries: CfnEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const keyLine = keyNode ? lineOf(keyNode.range?.[0]) : line;
        if (!isScalar(keyNode) || keyNode.tag) {
          problems.push({ line: keyLine, reason: "a mapping key must be a plain string" });
          continue;
        }
        entries.push({
          key: String(keyNode.value),
          keyLine,
          value: convert(pair.value as Node | null, keyLine),
        });
      }
      value = { kind: "map", entries, line };
    } else if (isSeq(node)) {
      value = { kind: "seq", items: node.items.map((item) => convert(item as Node, line)), line };
    } else if (isScalar(node)) {
      const raw = node.value;
      const scalar =
        typeof raw === "string" ||
        typeof raw === "number" ||
        typeof raw === "boolean" ||
        raw === null
          ? raw
          : String(raw);
      value = { kind: "scalar", value: scalar, line };
    } else {
      problems.push({ line, reason: "unsupported YAML node" });
      value = { kind: "scalar", value: null, line };
    }
    const tag = node.tag;
    if (tag?.startsWith("!")) {
      const longForm = SHORT_TAGS[tag];
      if (!longForm) {
        problems.push({ line, reason: `unknown tag ${tag}` });
        return value;
      }
      return { kind: "map", line, entries: [{ key: longForm, keyLine: line, value }] };
    }
    return value;
  };

  const root = convert(doc.contents as Node, 1);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, root };
}
