import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { lineStream, type MainOptions, runMain } from "./cli.js";
import { ConfigError, UnavailableError, UsageError } from "./errors.js";
import { collect } from "./test-streams.js";

function setup(overrides: Partial<MainOptions> & Pick<MainOptions, "run">) {
  const stdout = collect();
  const stderr = collect();
  const signals = new EventEmitter();
  const exits: number[] = [];
  const done = runMain({
    name: "tool",
    version: "1.2.3",
    argv: [],
    env: {},
    stdout,
    stderr,
    signals,
    exit: (code) => exits.push(code),
    ...overrides,
  });
  return { stdout, stderr, signals, exits, done };
}

describe("runMain", () => {
  it("returns run's exit code, 0 by default", async () => {
    expect(await setup({ run: async () => undefined }).done).toBe(0);
    expect(await setup({ run: async () => 3 }).done).toBe(3);
  });

  it("prints --help and --version without running", async () => {
    let ran = false;
    const run = async () => {
      ran = true;
    };
    const help = setup({ argv: ["--env", "x", "--help"], help: "Usage: tool\n", run });
    expect(await help.done).toBe(0);
    expect(help.stdout.text).toBe("Usage: tool\n");
    const version = setup({ argv: ["--version"], run });
    expect(await version.done).toBe(0);
    expect(version.stdout.text).toBe("1.2.3\n");
    const late = setup({ argv: ["--env", "x", "--version"], run });
    expect(await late.done).toBe(0);
    expect(late.stdout.text).toBe("1.2.3\n");
    const quoted = setup({ argv: ["--", "--help", "--version"], help: "Usage\n", run });
    expect(await quoted.done).toBe(0);
    expect(quoted.stdout.text).toBe("");
    expect(ran).toBe(true);
  });

  it.each([
    [new UsageError("unknown option '--bogus' (see --help)"), 64],
    [new ConfigError("missing --env (or RESTYLED_ENV)"), 78],
    [new UnavailableError("ssm:GetParameter: could not reach AWS"), 69],
    [new Error("something broke"), 1],
  ])("turns %s into one stderr line and exit %i", async (error, code) => {
    const { done, stderr } = setup({
      run: async () => {
        throw error;
      },
    });
    expect(await done).toBe(code);
    expect(stderr.text).toBe(`tool: ${error.message}\n`);
  });

  it("prints the stack and causes only at LOG_LEVEL=debug", async () => {
    const error = new Error("outer", { cause: new Error("inner") });
    const run = async () => {
      throw error;
    };
    const debug = setup({ env: { LOG_LEVEL: "debug" }, run });
    expect(await debug.done).toBe(1);
    expect(debug.stderr.text).toContain("tool: outer\n");
    expect(debug.stderr.text).toContain("at ");
    expect(debug.stderr.text).toContain("caused by: Error: inner");
  });

  it("fails with 78 naming LOG_LEVEL before running", async () => {
    let ran = false;
    const { done, stderr } = setup({
      env: { LOG_LEVEL: "bogus" },
      run: async () => {
        ran = true;
      },
    });
    expect(await done).toBe(78);
    expect(stderr.text).toMatch(/^tool: LOG_LEVEL: "bogus" is not a log level/);
    expect(ran).toBe(false);
  });

  it("redacts secrets from the error line", async () => {
    const { done, stderr } = setup({
      run: async () => {
        throw new Error("cannot reach redis://u:hunter22@h:1");
      },
    });
    expect(await done).toBe(1);
    expect(stderr.text).not.toContain("hunter22");
  });

  it("aborts run's signal on the first signal, says so at once, and exits 130", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const { done, signals, stderr, exits } = setup({
      run: ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener("abort", () => reject(signal.reason));
          started();
        }),
    });
    await running;
    signals.emit("SIGINT");
    expect(stderr.text).toContain("tool: received SIGINT; stopping (send it again to force)\n");
    expect(await done).toBe(130);
    expect(stderr.text).toContain("tool: stopped\n");
    expect(exits).toEqual([]);
    expect(signals.listenerCount("SIGINT")).toBe(0);
  });

  it("keeps run's own code when it stops gracefully, and forces on a second signal", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    let finish!: () => void;
    const { done, signals, exits } = setup({
      run: ({ signal }) =>
        new Promise<number>((resolve) => {
          started();
          finish = () => resolve(signal.aborted ? 0 : 5);
        }),
    });
    await running;
    signals.emit("SIGTERM");
    signals.emit("SIGTERM");
    expect(exits).toEqual([130]);
    finish();
    expect(await done).toBe(0);
  });

  it("hands run a logger writing JSON lines to stderr", async () => {
    const { done, stderr } = setup({
      env: { LOG_LEVEL: "info" },
      run: async ({ logger }) => {
        logger.info("hello", { token: "abc" });
      },
    });
    expect(await done).toBe(0);
    expect(stderr.lines()[0]).toMatchObject({ name: "tool", msg: "hello", token: "[redacted]" });
  });
});

describe("lineStream", () => {
  it("gives runMain's lines to a line writer without their newline", async () => {
    const lines: string[] = [];
    const code = await runMain({
      name: "tool",
      version: "1.2.3",
      argv: [],
      env: {},
      stdout: lineStream((line) => lines.push(`out ${line}`)),
      stderr: lineStream((line) => lines.push(`err ${line}`)),
      signals: new EventEmitter(),
      run: async () => {
        throw new ConfigError("FOO: bad");
      },
    });
    expect(code).toBe(78);
    expect(lines).toEqual(["err tool: FOO: bad"]);
  });
});
