import type { Harness } from "./harness.js";

export const createdQueueSteps = [
  { logicalId: "Queue", type: "AWS::SQS::Queue", status: "CREATE_IN_PROGRESS" },
  { logicalId: "WorkerRole", type: "AWS::IAM::Role", status: "CREATE_IN_PROGRESS" },
  { logicalId: "Queue", type: "AWS::SQS::Queue", status: "CREATE_COMPLETE" },
  { logicalId: "WorkerRole", type: "AWS::IAM::Role", status: "CREATE_COMPLETE" },
  { logicalId: "Worker", type: "AWS::Lambda::Function", status: "CREATE_COMPLETE" },
];

export const addChanges = [
  {
    Type: "Resource" as const,
    ResourceChange: {
      Action: "Add" as const,
      LogicalResourceId: "Queue",
      ResourceType: "AWS::SQS::Queue",
    },
  },
  {
    Type: "Resource" as const,
    ResourceChange: {
      Action: "Add" as const,
      LogicalResourceId: "WorkerRole",
      ResourceType: "AWS::IAM::Role",
    },
  },
  {
    Type: "Resource" as const,
    ResourceChange: {
      Action: "Add" as const,
      LogicalResourceId: "Worker",
      ResourceType: "AWS::Lambda::Function",
    },
  },
];

export function existingQueueStack(h: Harness, status = "UPDATE_COMPLETE") {
  return h.cfn.addStack({
    StackName: "restyled-test-queue",
    StackStatus: status,
    Parameters: [
      { ParameterKey: "Environment", ParameterValue: "test" },
      { ParameterKey: "CodeBucket", ParameterValue: "old-bucket" },
      { ParameterKey: "WorkerCodeKey", ParameterValue: "lambda/fixture-worker/old.zip" },
      { ParameterKey: "RetentionSeconds", ParameterValue: "3600" },
      { ParameterKey: "AlarmEmail", ParameterValue: "ops" },
    ],
  });
}
