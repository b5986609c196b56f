import { asIntrinsic } from "../intrinsics.js";
import { type Problem, problemCollector } from "../problems.js";
import { fieldOf, sectionOf, stringOf, type Template } from "../template.js";
import type { CfnValue } from "../yaml-cfn.js";
import type { ResourceSpec } from "./resource-spec.js";

/**
 * Types that hold data, beyond those the resource specification marks stateful
 * (log groups, queues, tables, buckets, keys, secrets, databases…): an SSM
 * parameter holds a value someone wrote, a repository holds images, a volume
 * or file system holds files. SNS topics are not here: they hold no messages,
 * and their subscriptions are declared in the template and re-created with it.
 */
const ALSO_STATEFUL = new Set([
  "AWS::SSM::Parameter",
  "AWS::ECR::Repository",
  "AWS::EC2::Volume",
  "AWS::EFS::FileSystem",
  "AWS::Logs::LogGroup",
  "AWS::SQS::Queue",
  "AWS::S3::Bucket",
  "AWS::DynamoDB::Table",
]);

export function isStatefulType(type: string, spec?: ResourceSpec): boolean {
  return ALSO_STATEFUL.has(type) || spec?.isStateful(type) === true;
}

const ALARM_TYPES = new Set(["AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"]);

/** Whether an AlarmActions value is certainly empty: absent, `[]` or `!Ref AWS::NoValue`. */
function isEmptyActions(value: CfnValue | undefined): boolean {
  if (!value) return true;
  if (value.kind === "seq") return value.items.length === 0;
  const call = asIntrinsic(value);
  return call?.name === "Ref" && stringOf(call.arg) === "AWS::NoValue";
}

/**
 * Deliberate lifecycles and alarms that reach someone:
 * - a resource holding data states DeletionPolicy and UpdateReplacePolicy
 *   (CloudFormation's default is to delete it; cfn-lint I3011, an error here);
 * - an alarm has AlarmActions (an alarm that notifies no one is not an alarm).
 */
export function checkPolicies(template: Template, spec?: ResourceSpec): Problem[] {
  const { problems, report } = problemCollector(template.file);
  for (const { key, keyLine, value } of sectionOf(template, "Resources")?.entries ?? []) {
    if (value.kind !== "map") continue;
    const type = stringOf(fieldOf(value, "Type"));
    if (!type) continue;
    if (isStatefulType(type, spec)) {
      const missing = ["DeletionPolicy", "UpdateReplacePolicy"].filter((p) => !fieldOf(value, p));
      if (missing.length > 0) {
        report(
          keyLine,
          `${key} holds data (${type}) but has no ${missing.join(" or ")}; say whether it is kept (Retain) or deleted (Delete)`,
          "restyled/stateful-policy",
        );
      }
    }
    if (ALARM_TYPES.has(type)) {
      const properties = fieldOf(value, "Properties");
      // Properties chosen by a condition are only known to CloudFormation.
      if (properties && asIntrinsic(properties)) continue;
      const actions = properties?.kind === "map" ? fieldOf(properties, "AlarmActions") : undefined;
      if (isEmptyActions(actions)) {
        report(
          actions?.line ?? keyLine,
          `alarm ${key} has no AlarmActions: it would notify no one`,
          "restyled/alarm-actions",
        );
      }
    }
  }
  return problems;
}
