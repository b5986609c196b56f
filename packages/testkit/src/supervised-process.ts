import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";

/**
 * The service runs under a tiny shell guard whose standard input is a pipe
 * from this process. When the pipe closes (a normal stop, or the test runner
 * dying from any signal, even SIGKILL) the guard sends SIGTERM to the service
 * and waits for it, so no daemon outlives the test run.
 */
// (sh gives background jobs /dev/null as stdin, hence the copy on fd 3.)
// $1 is the signal that stops the service.
const GUARD = `signal=$1; shift
exec 3<&0
"$@" </dev/null 3<&- &
child=$!
( cat <&3 >/dev/null; kill -"$signal" "$child" 2>/dev/null ) &
wait "$child"`;

export interface SupervisedProcess {
  readonly name: string;
  /** Resolves when the service has exited; rejects after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** True once the guard has exited. */
  readonly exited: boolean;
}

export interface SuperviseOptions {
  name: string;
  command: string;
  args: string[];
  /** The service's combined output goes here, for failure messages. */
  logFile: string;
  /** The signal for a normal stop (default TERM; PostgreSQL's fast shutdown is INT). */
  stopSignal?: "TERM" | "INT";
}

export function superviseProcess(options: SuperviseOptions): SupervisedProcess {
  const log = createWriteStream(options.logFile, { flags: "a" });
  const guard: ChildProcess = spawn(
    "/bin/sh",
    ["-c", GUARD, "guard", options.stopSignal ?? "TERM", options.command, ...options.args],
    {
      stdio: ["pipe", "pipe", "pipe"],
      // Its own process group, so the fallback below reaches the service too.
      detached: true,
    },
  );
  guard.stdout?.pipe(log);
  guard.stderr?.pipe(log);
  let exited = false;
  const exit = once(guard, "exit").then(() => {
    exited = true;
  });
  guard.on("error", () => {
    exited = true;
  });

  return {
    name: options.name,
    get exited() {
      return exited;
    },
    async stop(timeoutMs = 30_000) {
      if (exited) return;
      guard.stdin?.end();
      // A service stuck in its shutdown: killing only the guard would orphan it.
      const timer = setTimeout(() => killGroup(guard), timeoutMs);
      try {
        await exit;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function killGroup(guard: ChildProcess): void {
  try {
    if (guard.pid !== undefined) process.kill(-guard.pid, "SIGKILL");
  } catch {
    guard.kill("SIGKILL");
  }
}
