import { EventEmitter } from "node:events";
import {
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { silentLogger } from "@restyled/core/logger";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach } from "vitest";
import { runCli } from "../src/cli.js";
import type { RunCommand } from "../src/lambda-code.js";
import { captureOutput } from "../src/output.js";
import { type FakeCloudFormation, fakeCloudFormation } from "./fake-cloudformation.js";
import { extendFake } from "./fake-cloudformation-more.js";
import { type FixtureWorkspace, makeWorkspace } from "./workspace.js";

/**
 * Each test gets a fresh fixture workspace (real files), a fake CloudFormation,
 * a mocked S3 (HeadObject says "not there" unless a test says otherwise), and a
 * CLI whose prompts, builds, sleeps and output are recorded instead of real.
 */
export interface Harness {
  cfn: FakeCloudFormation;
  s3: AwsClientStub<S3Client>;
  ws: FixtureWorkspace;
  out: ReturnType<typeof captureOutput>;
  errors: string[];
  questions: string[];
  /** What the operator answers at the confirmation prompt. */
  answer: boolean;
  builds: Array<{ command: string; args: string[]; cwd: string }>;
  /** Runs the Lambda build; records it unless a test replaces it. */
  run: RunCommand;
  /** Every wait between polls; returns at once unless a test replaces it. */
  sleep: (ms: number) => Promise<void>;
  /** Where the CLI's SIGINT/SIGTERM arrive: emit on it to interrupt. */
  signals: EventEmitter;
  /** Ctrl-C: SIGINT on `signals`. */
  interrupt(): void;
  /** What a second signal would do to the process. */
  exits: number[];
  /** The SDK waiter's backoff in seconds; short unless a test needs a long wait. */
  waiterDelays: { minDelay: number; maxDelay: number; maxWaitTime: number };
  /** Deployed templates and export importers the fake answers with. */
  more: ReturnType<typeof extendFake>;
  cli(...argv: string[]): Promise<number>;
}

export function useHarness(env: NodeJS.ProcessEnv = {}): Harness {
  const s3 = mockClient(S3Client);
  const h = { s3 } as Harness;
  beforeEach(async () => {
    h.cfn = fakeCloudFormation();
    h.more = extendFake(h.cfn);
    h.signals = new EventEmitter();
    h.interrupt = () => h.signals.emit("SIGINT");
    h.exits = [];
    h.waiterDelays = { minDelay: 0.001, maxDelay: 0.002, maxWaitTime: 60 };
    s3.reset();
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({
        name: "NotFound",
        $fault: "client",
        $metadata: { httpStatusCode: 404 },
      }),
    );
    s3.on(PutObjectCommand).resolves({});
    h.ws = await makeWorkspace();
    h.out = captureOutput();
    h.errors = [];
    h.questions = [];
    h.answer = true;
    h.builds = [];
    h.sleep = async () => {};
    h.run = async (command, args, cwd) => {
      h.builds.push({ command, args, cwd });
    };
  });
  afterEach(async () => {
    h.cfn.mock.restore();
    await h.ws.cleanup();
  });
  h.cli = (...argv) =>
    runCli([...argv, "--stacks-dir", h.ws.stacksDir], {
      out: h.out,
      logger: silentLogger(),
      printError: (line) => h.errors.push(line),
      confirm: async (question) => {
        h.questions.push(question);
        return h.answer;
      },
      sleep: (ms) => h.sleep(ms),
      now: () => new Date("2026-11-25T15:04:05Z"),
      run: (command, args, cwd) => h.run(command, args, cwd),
      env,
      cwd: h.ws.root,
      signals: h.signals,
      exit: (code) => h.exits.push(code),
      waiterDelays: h.waiterDelays,
    });
  return h;
}
