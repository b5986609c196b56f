/** What the commands print on stdout: one line per result, or JSON with --json. */
import type { BackfillResult } from "./backfill.js";
import type { RedriveResult } from "./redrive.js";
import type { SubscribeOutcome } from "./subscribe.js";

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const consoleOutput: Output = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

export function printSubscribeOutcomes(
  output: Output,
  outcomes: SubscribeOutcome[],
  options: { json: boolean; prefix: string },
): void {
  if (options.json) {
    output.out(JSON.stringify({ logGroups: outcomes }));
    return;
  }
  if (outcomes.length === 0) {
    output.out(`no log groups start with ${options.prefix}`);
    return;
  }
  for (const outcome of outcomes) {
    const reason = outcome.reason ? ` (${outcome.reason})` : "";
    const pattern = outcome.filterPattern ? ` [filter ${outcome.filterPattern}]` : "";
    output.out(`${outcome.action}: ${outcome.logGroup}${pattern}${reason}`);
  }
}

export function printBackfillResult(
  output: Output,
  result: BackfillResult,
  options: { json: boolean; logGroup: string; dryRun: boolean },
): void {
  if (options.json) {
    output.out(JSON.stringify({ logGroup: options.logGroup, dryRun: options.dryRun, ...result }));
    return;
  }
  const verb = options.dryRun ? "would forward" : "forwarded";
  output.out(
    `${verb} ${result.lines} lines from ${options.logGroup} in ${result.requests} requests (${result.events} events, ${result.pages} pages)`,
  );
}

export function printRedriveResult(
  output: Output,
  result: RedriveResult,
  options: { json: boolean; dryRun: boolean },
): void {
  if (options.json) {
    output.out(JSON.stringify({ dryRun: options.dryRun, ...result }));
    return;
  }
  const verb = options.dryRun ? "would redeliver" : "redelivered";
  const left = result.undelivered + result.unreadable;
  output.out(
    `${verb} ${result.delivered} of ${result.messages} failed events (${result.lines} lines)` +
      (left > 0
        ? `; ${left} left on the queue (${result.undelivered} undelivered, ${result.unreadable} unreadable)`
        : ""),
  );
}
