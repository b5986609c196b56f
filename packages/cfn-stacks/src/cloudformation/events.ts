import {
  type CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  paginateDescribeStackEvents,
  type StackEvent,
} from "@aws-sdk/client-cloudformation";
import { InterruptedError, StackOperationError } from "../errors.js";
import type { Output } from "../output.js";
import { isInProgress } from "./stack-state.js";

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A sleep that ends early with an InterruptedError once `signal` aborts (Ctrl-C). */
export function interruptibleSleep(signal: AbortSignal): Sleep {
  return (ms) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new InterruptedError("interrupted"));
      const onAbort = () => {
        clearTimeout(timer);
        reject(new InterruptedError("interrupted"));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
}

/** The event ids already there, so streaming shows only what happens next. */
export async function seenEventIds(
  cloudformation: CloudFormationClient,
  stackName: string,
): Promise<Set<string>> {
  const { StackEvents } = await cloudformation.send(
    new DescribeStackEventsCommand({ StackName: stackName }),
  );
  return new Set((StackEvents ?? []).flatMap((e) => (e.EventId ? [e.EventId] : [])));
}

/** Events newer than the seen ones, oldest first. Pages until a seen event turns up. */
async function newEvents(
  cloudformation: CloudFormationClient,
  stackName: string,
  seen: Set<string>,
): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  for await (const page of paginateDescribeStackEvents(
    { client: cloudformation },
    { StackName: stackName },
  )) {
    const events = page.StackEvents ?? [];
    const unseen = events.filter((e) => e.EventId && !seen.has(e.EventId));
    fresh.push(...unseen);
    // Events come newest first: once a page holds a seen one, the rest are older.
    if (unseen.length !== events.length) break;
  }
  for (const e of fresh) if (e.EventId) seen.add(e.EventId);
  return fresh.reverse();
}

const COMPLETE = /_COMPLETE$/;

/** `15:04:05  CREATE_COMPLETE  Vpc  AWS::EC2::VPC  reason`, with `[done/total]` when known. */
export function formatEvent(event: StackEvent, progress?: string): string {
  const time = event.Timestamp ? event.Timestamp.toISOString().slice(11, 19) : "--:--:--";
  return [
    progress,
    time,
    (event.ResourceStatus ?? "").padEnd(28),
    (event.LogicalResourceId ?? "").padEnd(28),
    event.ResourceType ?? "",
    event.ResourceStatusReason ? ` ${event.ResourceStatusReason}` : "",
  ]
    .filter((part) => part !== undefined)
    .join("  ")
    .trimEnd();
}

export interface StreamResult {
  status: string;
  events: StackEvent[];
}

/**
 * Prints the stack's events as they happen until its operation ends, and
 * returns the final status with every event seen. `stackId` should be the id,
 * not the name, so a deleted stack can still be described.
 */
export async function streamStackEvents(options: {
  cloudformation: CloudFormationClient;
  stackId: string;
  seen: Set<string>;
  out: Output;
  sleep: Sleep;
  /** How many resources the operation touches, for the progress counter. */
  total?: number;
  pollMs?: number;
  timeoutMs?: number;
}): Promise<StreamResult> {
  const { cloudformation, stackId, seen, out, sleep } = options;
  const pollMs = options.pollMs ?? 5000;
  const deadline = Date.now() + (options.timeoutMs ?? 3 * 60 * 60 * 1000);
  const all: StackEvent[] = [];
  const finished = new Set<string>();
  const print = (events: StackEvent[]) => {
    for (const event of events) {
      all.push(event);
      const id = event.LogicalResourceId ?? "";
      const isStack =
        event.PhysicalResourceId === stackId || event.ResourceType === "AWS::CloudFormation::Stack";
      if (!isStack && COMPLETE.test(event.ResourceStatus ?? "")) finished.add(id);
      const progress = options.total ? `[${finished.size}/${options.total}]` : undefined;
      out.line(formatEvent(event, progress));
    }
  };
  for (;;) {
    print(await newEvents(cloudformation, stackId, seen));
    const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: stackId }));
    const status = Stacks?.[0]?.StackStatus;
    if (!isInProgress(status)) {
      // Events written between the last poll and the status change.
      print(await newEvents(cloudformation, stackId, seen));
      return { status: status ?? "UNKNOWN", events: all };
    }
    if (Date.now() > deadline) {
      throw new StackOperationError(`gave up waiting for ${stackId}: still ${status}`);
    }
    await sleep(pollMs);
  }
}

/** The failed resources' reasons, first failure first: what the operator needs to fix. */
export function failureReasons(events: StackEvent[]): string[] {
  const failed = events.filter(
    (e) => /FAILED$/.test(e.ResourceStatus ?? "") && e.ResourceStatusReason,
  );
  // Resources cancelled because another one failed only repeat the news.
  const causes = failed.filter((e) => !/cancelled/i.test(e.ResourceStatusReason ?? ""));
  return (causes.length > 0 ? causes : failed).map(
    (e) => `${e.LogicalResourceId} (${e.ResourceType}): ${e.ResourceStatusReason}`,
  );
}
