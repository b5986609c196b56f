import { asIntrinsic, walkIntrinsics, walkMaps } from "../intrinsics.js";
import { type Problem, problemCollector, type Report } from "../problems.js";
import { fieldOf, sectionOf, stringOf, type Template } from "../template.js";
import type { CfnValue } from "../yaml-cfn.js";

const KNOWN = new Set([
  "Ref",
  "Condition",
  "Fn::Sub",
  "Fn::GetAtt",
  "Fn::ImportValue",
  "Fn::If",
  "Fn::Join",
  "Fn::Select",
  "Fn::GetAZs",
  "Fn::Split",
  "Fn::FindInMap",
  "Fn::Equals",
  "Fn::Not",
  "Fn::And",
  "Fn::Or",
  "Fn::Base64",
  "Fn::Cidr",
  "Fn::Transform",
  "Fn::Length",
  "Fn::ToJsonString",
  "Fn::ForEach",
]);

// Functions CloudFormation only knows under the AWS::LanguageExtensions transform.
const LANGUAGE_EXTENSIONS = new Set(["Fn::Length", "Fn::ToJsonString", "Fn::ForEach"]);
// Condition functions belong in Conditions (and Rules), not in resources or outputs.
const CONDITION_ONLY = new Set(["Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or"]);

const isList = (value: CfnValue | undefined) =>
  value !== undefined && (value.kind === "seq" || asIntrinsic(value) !== undefined);
const isText = (value: CfnValue | undefined) =>
  value !== undefined &&
  ((value.kind === "scalar" && value.value !== null) || asIntrinsic(value) !== undefined);

/** Each function's arguments have the shape CloudFormation requires, else the reason. */
function shapeProblem(name: string, arg: CfnValue): [string, string] | undefined {
  const items = arg.kind === "seq" ? arg.items : undefined;
  switch (name) {
    case "Fn::Join":
      return items?.length === 2 && isText(items[0]) && isList(items[1])
        ? undefined
        : ["E1022", "Join takes a delimiter and a list"];
    case "Fn::Select":
      return items?.length === 2 && isText(items[0]) && isList(items[1])
        ? undefined
        : ["E1017", "Select takes an index and a list"];
    case "Fn::Split":
      return items?.length === 2 && isText(items[0]) && isText(items[1])
        ? undefined
        : ["E1018", "Split takes a delimiter and a string"];
    case "Fn::FindInMap":
      return items && items.length >= 3 && items.length <= 4
        ? undefined
        : ["E1011", "FindInMap takes a mapping name, a key and an attribute"];
    case "Fn::GetAZs":
      return isText(arg) ? undefined : ["E1015", "GetAZs takes a region name or an empty string"];
    case "Fn::Cidr":
      return items?.length === 3 ? undefined : ["E1024", "Cidr takes a block, a count and a size"];
    case "Fn::Base64":
      return isText(arg) ? undefined : ["E1021", "Base64 takes a string"];
    case "Fn::ImportValue":
      return isText(arg) ? undefined : ["E1016", "ImportValue takes an export name"];
    default:
      return undefined;
  }
}

function usesLanguageExtensions(template: Template): boolean {
  const transform = fieldOf(template.root, "Transform");
  if (!transform) return false;
  const names = transform.kind === "seq" ? transform.items.map(stringOf) : [stringOf(transform)];
  return names.includes("AWS::LanguageExtensions");
}

/**
 * Every intrinsic function is one CloudFormation knows, in a section that
 * allows it, with arguments of the right shape (cfn-lint E1001, E1011…E1024).
 */
export function checkFunctions(template: Template): Problem[] {
  const { problems, report } = problemCollector(template.file);
  const extensions = usesLanguageExtensions(template);
  for (const section of ["Resources", "Outputs", "Conditions"]) {
    const map = sectionOf(template, section);
    if (!map) continue;
    walkMaps(map, (value) => {
      const [only] = value.entries;
      if (value.entries.length === 1 && only?.key.startsWith("Fn::") && !KNOWN.has(only.key)) {
        report(only.keyLine, `unknown function ${only.key}`, "E1001");
      }
    });
    walkIntrinsics(map, ({ name, arg, line }) =>
      checkCall({ name, arg, line, section, extensions, report }),
    );
  }
  return problems;
}

function checkCall(options: {
  name: string;
  arg: CfnValue;
  line: number;
  section: string;
  extensions: boolean;
  report: Report;
}): void {
  const { name, arg, line, section, report } = options;
  if (LANGUAGE_EXTENSIONS.has(name) && !options.extensions) {
    report(line, `${name} needs Transform: AWS::LanguageExtensions`, "E1001");
  }
  if (section !== "Conditions" && CONDITION_ONLY.has(name)) {
    report(line, `${name.slice(4)} can only be used in Conditions`, "E1001");
  }
  const problem = shapeProblem(name, arg);
  if (problem) report(line, problem[1], problem[0]);
}
