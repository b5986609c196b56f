import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { once } from "node:events";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  findFreePort,
  type RestyledApiStandIn,
  startRestyledApi,
  waitFor,
} from "@restyled/testkit";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";

// The built CLI, as systemd runs it: a real process, real signals, real dockerd
// over TLS; restyled.io is the stand-in. No queue: it registers at once.
const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const TOKEN = "cli-test-token-abcdef";

let api: RestyledApiStandIn;
beforeEach(async () => {
  api = await startRestyledApi({ token: TOKEN });
});
afterEach(() => api.close());

interface Run {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const lines: Record<string, unknown>[] = [];
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    const parts = stderr.split("\n");
    lines.length = 0;
    for (const part of parts) {
      if (part.startsWith("{")) {
        try {
          lines.push(JSON.parse(part));
        } catch {
          // a partial line; complete on the next chunk
        }
      }
    }
  });
  const exit = once(child, "exit").then(([code]) => code as number | null);
  return { child, lines, stderr: () => stderr, exit };
}

function agentArgs(): string[] {
  const docker = inject("docker");
  return [
    "--env",
    "test",
    "--instance-id",
    "i-0c11c11c11c11c11c",
    "--docker-host",
    docker.host,
    "--cert-path",
    docker.certPath,
    "--restyled-url",
    api.url,
    "--daemon-check-interval",
    "200ms",
  ];
}

describe("restyled-agent (the built CLI)", () => {
  it("registers at once without a queue, and de-registers on SIGTERM, exiting 0", async () => {
    const agent = run(agentArgs(), { RESTYLED_API_TOKEN: TOKEN, LOG_LEVEL: "debug" });
    await waitFor(async () => agent.lines.some((l) => l.msg === "machine in service"), {
      what: "the agent to be in service",
      timeoutMs: 120_000,
      intervalMs: 50,
      diagnose: async () => agent.stderr(),
    });
    expect([...api.machines.values()]).toMatchObject([
      { name: "restyled-test-i-0c11c11c11c11c11c", enabled: true, host: inject("docker").host },
    ]);
    agent.child.kill("SIGTERM");
    expect(await agent.exit).toBe(0);
    expect(api.machines.size).toBe(0);
    expect(agent.lines.at(-1)).toMatchObject({ level: "info", msg: "agent stopped" });
    expect(agent.stderr()).not.toContain(TOKEN);
    expect(agent.stderr()).not.toContain("PRIVATE KEY");
  });

  it("exits 1 when the launch fails without a queue, leaving no machine", async () => {
    const agent = run(agentArgs(), { RESTYLED_API_TOKEN: "wrong-token", RETRY_ATTEMPTS: "1" });
    expect(await agent.exit).toBe(1);
    expect(api.machines.size).toBe(0);
    expect(agent.lines.find((l) => l.msg === "abandoning the launch")?.reason).toContain(
      "the restyled.io API token is wrong",
    );
  });

  it("exits 1 at once when the daemon is unreachable without a queue: nothing to drain", async () => {
    const args = agentArgs();
    args[args.indexOf("--docker-host") + 1] = `tcp://127.0.0.1:${await findFreePort()}`;
    const agent = run([...args, "--retry-attempts", "2", "--retry-delay", "50ms"], {
      RESTYLED_API_TOKEN: TOKEN,
    });
    expect(await agent.exit).toBe(1);
    const messages = agent.lines.map((l) => l.msg);
    expect(messages).toContain("the launch failed; nothing to drain, exiting");
    expect(messages).not.toContain("waiting for running restyler containers");
    expect(api.machines.size).toBe(0);
  });

  it("exits 1 at once when the client key does not match its certificate", async () => {
    const docker = inject("docker");
    const certs = await mkdtemp(join(tmpdir(), "agent-mismatch-"));
    try {
      await copyFile(join(docker.certPath, "ca.pem"), join(certs, "ca.pem"));
      await copyFile(join(docker.certPath, "cert.pem"), join(certs, "cert.pem"));
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      await writeFile(join(certs, "key.pem"), privateKey.export({ type: "pkcs8", format: "pem" }), {
        mode: 0o600,
      });
      const args = agentArgs();
      args[args.indexOf("--cert-path") + 1] = certs;
      const agent = run([...args, "--retry-attempts", "2", "--retry-delay", "50ms"], {
        RESTYLED_API_TOKEN: TOKEN,
      });
      expect(await agent.exit).toBe(1);
      expect(agent.lines.map((l) => l.msg)).toContain(
        "the launch failed; nothing to drain, exiting",
      );
      expect(agent.stderr()).not.toContain("PRIVATE KEY");
      expect(api.machines.size).toBe(0);
    } finally {
      await rm(certs, { recursive: true, force: true });
    }
  });

  it("prints the package version", async () => {
    const agent = run(["--version"]);
    let stdout = "";
    agent.child.stdout!.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    expect(await agent.exit).toBe(0);
    const { version } = JSON.parse(
      await readFile(fileURLToPath(new URL("../package.json", import.meta.url)), "utf8"),
    );
    expect(stdout.trim()).toBe(version);
  });

  it("prints the help and exits 0", async () => {
    const agent = run(["--help"]);
    let stdout = "";
    agent.child.stdout!.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    expect(await agent.exit).toBe(0);
    expect(stdout).toContain("Usage: restyled-agent [options]");
  });

  it.each<[string, string[], Record<string, string>, number, string]>([
    ["an unknown flag", ["--nope"], {}, 64, "restyled-agent: unknown option '--nope' (see --help)"],
    ["no environment", [], {}, 78, "restyled-agent: missing --env (or RESTYLED_ENV)"],
    [
      "a bad drain timeout",
      ["--env", "test"],
      { DRAIN_TIMEOUT: "forever" },
      78,
      'restyled-agent: DRAIN_TIMEOUT: "forever" is not a duration (like 500ms, 90s, 15m, 1h30m or 2d; a bare number is seconds)',
    ],
    [
      "a bad drain settle flag",
      ["--env", "test", "--drain-settle", "soon"],
      {},
      64,
      'restyled-agent: --drain-settle: "soon" is not a duration (like 500ms, 90s, 15m, 1h30m or 2d; a bare number is seconds)',
    ],
  ])(
    "rejects %s with a one-line error and its exit code",
    async (_name, args, env, code, message) => {
      const agent = run(args, env);
      expect(await agent.exit).toBe(code);
      expect(agent.stderr().trim()).toBe(message);
      expect(api.requests).toEqual([]);
    },
  );

  it("names the missing certificate file", async () => {
    const args = agentArgs();
    args[args.indexOf("--cert-path") + 1] = "/nonexistent-certs";
    const agent = run(args, { RESTYLED_API_TOKEN: TOKEN });
    expect(await agent.exit).toBe(78);
    expect(agent.stderr()).toContain(
      "--cert-path (DOCKER_CERT_PATH): cannot read a PEM ca.pem in /nonexistent-certs",
    );
    expect(api.requests).toEqual([]);
  });
});
