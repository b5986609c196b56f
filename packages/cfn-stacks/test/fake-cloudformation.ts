import {
  type Change,
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  type CreateChangeSetCommandInput,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Output,
  type Parameter,
  type StackEvent,
} from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import { loadResourceSpec } from "../src/checks/resource-spec.js";
import {
  type AcceptedTemplate,
  acceptChangeSet,
  type Refusal,
} from "./fake-cloudformation-rules.js";
import { exportConflict, importedElsewhere, liveExports } from "./fake-exports.js";

const spec = await loadResourceSpec();

/**
 * A stand-in for CloudFormation built on aws-sdk-client-mock: it keeps stacks,
 * change sets and events the way the API reference describes them, so the
 * deploy flow meets the same states (REVIEW_IN_PROGRESS, ROLLBACK_COMPLETE,
 * paged newest-first events) it meets in AWS. Only CloudFormation is faked.
 *
 * It refuses what CloudFormation refuses (fake-cloudformation-rules.ts): a
 * template breaking CloudFormation's own rules, missing capabilities, unknown,
 * missing or out-of-constraint parameters (ValidationError, as the API does);
 * a property the resource type does not take, an import of an export no other
 * stack has (a FAILED change set); an export another stack already has, or the
 * removal of an export another stack imports (the execution rolls back, and a
 * delete fails, as in AWS); a warm pool Auto Scaling refuses, with the values
 * the stack is given (the execution fails at that resource and rolls back).
 */
export interface FakeStack {
  StackId: string;
  StackName: string;
  StackStatus: string;
  Parameters: Parameter[];
  Outputs: Output[];
  events: StackEvent[];
  /** The template CloudFormation accepted for it, with its exports and imports. */
  accepted?: AcceptedTemplate;
  /** Steps still to play out, one per DescribeStacks poll. */
  script: Array<{
    event?: FakeEvent;
    status: string;
  }>;
}

/** An event as the fake writes it; ResourceStatus is any status string. */
interface FakeEvent {
  LogicalResourceId: string;
  ResourceType: string;
  ResourceStatus: string;
  ResourceStatusReason?: string;
}

export type ChangeSetOutcome = { changes: Change[] } | { failed: string };

export interface ExecutionStep {
  logicalId: string;
  type: string;
  status: string;
  reason?: string;
}

function serviceError(name: string, message: string) {
  return new CloudFormationServiceException({ name, $fault: "client", $metadata: {}, message });
}

export function fakeCloudFormation() {
  const mock = mockClient(CloudFormationClient);
  const stacks = new Map<string, FakeStack>();
  const changeSets = new Map<
    string,
    {
      input: CreateChangeSetCommandInput;
      polls: number;
      accepted?: AcceptedTemplate;
      failed?: string;
    }
  >();
  let eventCounter = 0;
  let clock = Date.parse("2026-11-25T15:00:00Z");
  const fake = {
    mock,
    stacks,
    changeSets,
    created: [] as CreateChangeSetCommandInput[],
    /** What the next change set turns out to be. */
    nextChangeSet: { changes: [] } as ChangeSetOutcome,
    /** What executing the next change set does, resource by resource, and how it ends. */
    nextExecution: { steps: [] as ExecutionStep[], final: "UPDATE_COMPLETE" },
    /** Outputs the stack has after a successful execution. */
    outputsAfter: [] as Output[],
    /**
     * A stack as it already is in the account. With `template`, it has that
     * template's exports and imports (its Parameters resolving their names).
     */
    addStack(
      stack: Partial<FakeStack> & { StackName: string; StackStatus: string; template?: string },
    ): FakeStack {
      const { template, ...fields } = stack;
      const full: FakeStack = {
        StackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${stack.StackName}/${++eventCounter}`,
        Parameters: [],
        Outputs: [],
        events: [],
        script: [],
        ...fields,
      };
      if (template !== undefined) {
        const accepted = acceptChangeSet({
          body: template,
          parameters: full.Parameters,
          capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
          stackName: full.StackName,
          exports: liveExports(stacks),
          spec,
        });
        if ("kind" in accepted)
          throw new Error(`fake: seeded template refused: ${describe(accepted)}`);
        full.accepted = accepted;
      }
      stacks.set(full.StackName, full);
      pushEvent(full, {
        LogicalResourceId: full.StackName,
        ResourceType: "AWS::CloudFormation::Stack",
        ResourceStatus: full.StackStatus,
      });
      return full;
    },
  };

  const describe = (refusal: Refusal) =>
    refusal.kind === "error" ? `${refusal.name}: ${refusal.message}` : refusal.reason;

  // By name only live stacks are found; by id deleted ones too, as in AWS.
  const find = (nameOrId: string | undefined) =>
    [...stacks.values()].find(
      (s) =>
        s.StackId === nameOrId || (s.StackName === nameOrId && s.StackStatus !== "DELETE_COMPLETE"),
    );

  function pushEvent(stack: FakeStack, event: FakeEvent) {
    clock += 1000;
    stack.events.unshift({
      StackId: stack.StackId,
      StackName: stack.StackName,
      EventId: `event-${++eventCounter}`,
      Timestamp: new Date(clock),
      PhysicalResourceId:
        event.ResourceType === "AWS::CloudFormation::Stack"
          ? stack.StackId
          : `${event.LogicalResourceId}-physical`,
      ...event,
    } as StackEvent);
  }

  const stackEvent = (stack: FakeStack, status: string) => ({
    event: {
      LogicalResourceId: stack.StackName,
      ResourceType: "AWS::CloudFormation::Stack",
      ResourceStatus: status,
    },
    status,
  });

  mock.on(DescribeStacksCommand).callsFake((input) => {
    const stack = find(input.StackName);
    if (!stack) {
      throw serviceError("ValidationError", `Stack with id ${input.StackName} does not exist`);
    }
    const step = stack.script.shift();
    if (step) {
      if (step.event) pushEvent(stack, step.event);
      stack.StackStatus = step.status;
    }
    const { events: _e, script: _s, ...described } = stack;
    return { Stacks: [{ ...described, CreationTime: new Date(clock) }] };
  });

  mock.on(DescribeStackEventsCommand).callsFake((input) => {
    const stack = find(input.StackName);
    if (!stack) throw serviceError("ValidationError", `Stack [${input.StackName}] does not exist`);
    // Small pages, newest first, so paging is exercised.
    const start = Number(input.NextToken ?? 0);
    const page = stack.events.slice(start, start + 3);
    const next = start + 3 < stack.events.length ? String(start + 3) : undefined;
    return { StackEvents: page, NextToken: next };
  });

  mock.on(CreateChangeSetCommand).callsFake((input) => {
    fake.created.push(input);
    let stack = find(input.StackName);
    if (input.ChangeSetType === "CREATE") {
      if (stack && stack.StackStatus !== "REVIEW_IN_PROGRESS") {
        throw serviceError("AlreadyExistsException", `Stack [${input.StackName}] already exists`);
      }
    } else if (!stack) {
      throw serviceError("ValidationError", `Stack [${input.StackName}] does not exist`);
    }
    const updating =
      input.ChangeSetType !== "CREATE" && stack?.StackStatus !== "REVIEW_IN_PROGRESS";
    const outcome = acceptChangeSet({
      body: input.UsePreviousTemplate ? stack?.accepted?.body : input.TemplateBody,
      parameters: input.Parameters ?? [],
      capabilities: input.Capabilities ?? [],
      stackName: input.StackName!,
      previous: updating
        ? new Map((stack?.Parameters ?? []).map((p) => [p.ParameterKey!, p.ParameterValue ?? ""]))
        : undefined,
      exports: liveExports(stacks),
      spec,
    });
    // The API refuses before anything exists, a new stack included.
    if ("kind" in outcome && outcome.kind === "error")
      throw serviceError(outcome.name, outcome.message);
    stack ??= fake.addStack({ StackName: input.StackName!, StackStatus: "REVIEW_IN_PROGRESS" });
    changeSets.set(`${input.StackName}/${input.ChangeSetName}`, {
      input,
      polls: 0,
      ...("kind" in outcome ? { failed: outcome.reason } : { accepted: outcome }),
    });
    return { Id: `changeSet/${input.ChangeSetName}`, StackId: stack.StackId };
  });

  mock.on(DescribeChangeSetCommand).callsFake((input) => {
    const entry = changeSets.get(`${input.StackName}/${input.ChangeSetName}`);
    if (!entry)
      throw serviceError(
        "ChangeSetNotFoundException",
        `ChangeSet [${input.ChangeSetName}] does not exist`,
      );
    // Pending on the first look, like a real change set being computed.
    if (entry.polls++ === 0) return { Status: "CREATE_PENDING", ExecutionStatus: "UNAVAILABLE" };
    if (entry.failed) {
      return { Status: "FAILED", StatusReason: entry.failed, ExecutionStatus: "UNAVAILABLE" };
    }
    const outcome = fake.nextChangeSet;
    if ("failed" in outcome)
      return { Status: "FAILED", StatusReason: outcome.failed, ExecutionStatus: "UNAVAILABLE" };
    // Two pages when there are more than two changes.
    const start = Number(input.NextToken ?? 0);
    const page = outcome.changes.slice(start, start + 2);
    const next = start + 2 < outcome.changes.length ? String(start + 2) : undefined;
    return {
      Status: "CREATE_COMPLETE",
      ExecutionStatus: "AVAILABLE",
      Changes: page,
      NextToken: next,
    };
  });

  mock.on(DeleteChangeSetCommand).callsFake((input) => {
    changeSets.delete(`${input.StackName}/${input.ChangeSetName}`);
    return {};
  });

  mock.on(ExecuteChangeSetCommand).callsFake((input) => {
    const entry = changeSets.get(`${input.StackName}/${input.ChangeSetName}`);
    const stack = find(input.StackName);
    if (!entry || !stack) throw serviceError("ChangeSetNotFoundException", "no such change set");
    if (entry.failed) {
      throw serviceError(
        "InvalidChangeSetStatus",
        "ChangeSet cannot be executed in its current status of [FAILED]",
      );
    }
    changeSets.delete(`${input.StackName}/${input.ChangeSetName}`);
    const creating = entry.input.ChangeSetType === "CREATE";
    const verb = creating ? "CREATE" : "UPDATE";
    stack.StackStatus = `${verb}_IN_PROGRESS`;
    pushEvent(stack, {
      LogicalResourceId: stack.StackName,
      ResourceType: "AWS::CloudFormation::Stack",
      ResourceStatus: stack.StackStatus,
      ResourceStatusReason: "User Initiated",
    });
    const previousParameters = stack.Parameters;
    // Every parameter's value in force, defaults included, as DescribeStacks shows them.
    stack.Parameters = [...(entry.accepted?.values ?? [])].map(([key, value]) => ({
      ParameterKey: key,
      ParameterValue: value,
    }));
    // CloudFormation rolls the whole operation back; the stack keeps what it had.
    const rollBack = (reason: string, failed?: FakeEvent) => {
      stack.Parameters = previousParameters;
      const rollback = creating ? "ROLLBACK" : "UPDATE_ROLLBACK";
      if (failed) stack.script.push({ event: failed, status: stack.StackStatus });
      stack.script.push(
        {
          event: {
            LogicalResourceId: stack.StackName,
            ResourceType: "AWS::CloudFormation::Stack",
            ResourceStatus: `${rollback}_IN_PROGRESS`,
            ResourceStatusReason: reason,
          },
          status: `${rollback}_IN_PROGRESS`,
        },
        stackEvent(stack, `${rollback}_COMPLETE`),
      );
      return {};
    };
    const refusal = exportConflict(stacks, stack, entry.accepted);
    if (refusal) return rollBack(refusal);
    const failure = entry.accepted?.provisioningFailure;
    if (failure) {
      // The service refuses the resource as CloudFormation creates or updates it.
      return rollBack(
        `The following resource(s) failed to ${verb.toLowerCase()}: [${failure.logicalId}].`,
        {
          LogicalResourceId: failure.logicalId,
          ResourceType: failure.type,
          ResourceStatus: `${verb}_FAILED`,
          ResourceStatusReason: failure.reason,
        },
      );
    }
    for (const step of fake.nextExecution.steps) {
      stack.script.push({
        event: {
          LogicalResourceId: step.logicalId,
          ResourceType: step.type,
          ResourceStatus: step.status,
          ResourceStatusReason: step.reason,
        },
        status: stack.StackStatus,
      });
    }
    const final = fake.nextExecution.final;
    stack.script.push(stackEvent(stack, final));
    if (!/ROLLBACK|FAILED/.test(final)) {
      stack.Outputs = fake.outputsAfter;
      stack.accepted = entry.accepted;
    }
    return {};
  });

  mock.on(DeleteStackCommand).callsFake((input) => {
    const stack = find(input.StackName);
    if (!stack) return {};
    const inUse = importedElsewhere(stacks, stack.accepted?.exports ?? [], stack);
    stack.StackStatus = "DELETE_IN_PROGRESS";
    pushEvent(stack, {
      LogicalResourceId: stack.StackName,
      ResourceType: "AWS::CloudFormation::Stack",
      ResourceStatus: "DELETE_IN_PROGRESS",
    });
    if (inUse) {
      stack.script.push({
        event: {
          LogicalResourceId: stack.StackName,
          ResourceType: "AWS::CloudFormation::Stack",
          ResourceStatus: "DELETE_FAILED",
          ResourceStatusReason: `Export ${inUse[0]} cannot be deleted as it is in use by ${inUse[1]}`,
        },
        status: "DELETE_FAILED",
      });
      return {};
    }
    stack.script.push(stackEvent(stack, "DELETE_COMPLETE"));
    return {};
  });

  mock.on(DescribeStackResourcesCommand).callsFake((input) => {
    const stack = find(input.StackName);
    if (!stack)
      throw serviceError("ValidationError", `Stack with id ${input.StackName} does not exist`);
    return {
      StackResources: [
        {
          LogicalResourceId: "Queue",
          ResourceType: "AWS::SQS::Queue",
          PhysicalResourceId: "https://sqs/queue",
          ResourceStatus: "CREATE_COMPLETE",
          Timestamp: new Date(clock),
        },
      ],
    };
  });

  return fake;
}

export type FakeCloudFormation = ReturnType<typeof fakeCloudFormation>;
