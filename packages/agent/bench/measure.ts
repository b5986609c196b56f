import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { waitFor } from "@restyled/testkit";

/**
 * Starts COMMAND ARGS (the agent through its own `#!` line, as systemd runs
 * it), waits for the log line `ready`, lets it idle, reads VmRSS (bytes).
 */
export async function idleRss(
  command: string,
  args: string[],
  ready: string,
  env: Record<string, string> = {},
): Promise<number> {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  try {
    await waitFor(async () => stderr.includes(`"msg":"${ready}"`), {
      what: `${command} to log ${ready}`,
      timeoutMs: 20_000,
      diagnose: async () => stderr,
    });
    await sleep(2_000);
    const status = await readFile(`/proc/${child.pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
    return kb * 1024;
  } finally {
    child.kill("SIGTERM");
    await once(child, "exit");
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

export function mb(bytes: number): number {
  return Number((bytes / 1024 / 1024).toFixed(1));
}
