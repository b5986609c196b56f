import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "@restyled/core/logger";
import type { WaiterDelays } from "./cloudformation/change-set.js";
import type { Sleep } from "./cloudformation/events.js";
import type { LambdaSource, RunCommand } from "./lambda-code.js";
import type { Output } from "./output.js";

/**
 * What the commands need from the outside world, injected so tests can use
 * mocked AWS clients, a scripted confirmation and a sleep that returns at once.
 */
export interface Context {
  cwd: string;
  out: Output;
  logger: Logger;
  cloudformation: CloudFormationClient;
  s3: S3Client;
  /** Asks a yes/no question; false unless the operator answers yes. */
  confirm: (question: string) => Promise<boolean>;
  sleep: Sleep;
  now: () => Date;
  /** Runs the Lambda packages' build. */
  run: RunCommand;
  /** Poll interval for stack events. */
  pollMs?: number;
  /** Aborted by Ctrl-C or SIGTERM: waits end, what was prepared is cleaned up. */
  signal: AbortSignal;
  /** The SDK waiters' delays (tests make them short). */
  waiterDelays?: WaiterDelays;
  /** Where Lambda zips come from when there is no workspace to build them in. */
  lambdaSource?: LambdaSource;
}

/** The options every stack command shares. */
export interface StackTarget {
  stacksDir: string;
  stack: string;
  env: string;
}
