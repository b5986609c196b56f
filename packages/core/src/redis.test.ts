// No redis-server here (the tools test against a real one): in-process
// loopback sockets stand in for a refused port, a silent server, and a tiny
// RESP responder that answers PING.
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, exitCodeFor, UnavailableError } from "./errors.js";
import { createLogger } from "./logger.js";
import { connectRedis, withRedis } from "./redis.js";
import { collect } from "./test-streams.js";

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as { port: number }).port;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Answers each RESP command: PING with PONG, anything else with OK; records the commands. */
function respResponder(seen: string[][]) {
  return (socket: Socket) => {
    let buffer = "";
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        const parts = buffer.split("\r\n");
        const count = Number(parts[0]?.slice(1));
        if (!parts[0]?.startsWith("*") || parts.length < 1 + count * 2 + 1) return;
        const args = Array.from({ length: count }, (_, i) => parts[2 + i * 2]!);
        buffer = parts.slice(1 + count * 2).join("\r\n");
        seen.push(args);
        socket.write(args[0]?.toUpperCase() === "PING" ? "+PONG\r\n" : "+OK\r\n");
      }
    });
  };
}

const logger = () => {
  const stream = collect();
  return { stream, logger: createLogger({ name: "t", level: "debug", stream }) };
};

describe("withRedis", () => {
  it("connects, authenticates with the decoded password, runs the work and closes", async () => {
    const seen: string[][] = [];
    let closed = false;
    const port = await listen((socket) => {
      respResponder(seen)(socket);
      socket.on("close", () => {
        closed = true;
      });
    });
    const { logger: log } = logger();
    const answer = await withRedis(
      `redis://user:p%40ss@127.0.0.1:${port}/2`,
      { logger: log, timeoutMs: 5_000 },
      (c) => c.ping(),
    );
    expect(answer).toBe("PONG");
    expect(seen).toContainEqual(["AUTH", "user", "p@ss"]);
    expect(seen).toContainEqual(["SELECT", "2"]);
    await expect.poll(() => closed).toBe(true);
  });

  it("fails a server that accepts but never answers within the deadline", async () => {
    const port = await listen(() => undefined);
    const { logger: log } = logger();
    const error = await withRedis(
      `redis://:hunter22@127.0.0.1:${port}`,
      { logger: log, timeoutMs: 200 },
      (c) => c.ping(),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toMatch(
      /^Redis at redis:\/\/\[redacted\]:\[redacted\]@127\.0\.0\.1:\d+ did not answer: no answer within 200 ms/,
    );
    expect(error.message).not.toContain("hunter22");
  });

  it("stops when its signal aborts", async () => {
    const port = await listen(() => undefined);
    const controller = new AbortController();
    const { logger: log } = logger();
    const pending = withRedis(
      `redis://127.0.0.1:${port}`,
      { logger: log, timeoutMs: 60_000, signal: controller.signal },
      (c) => c.ping(),
    );
    controller.abort(Object.assign(new Error("stopped"), { name: "AbortError" }));
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("connectRedis", () => {
  it("reports a refused connection as unavailable, without the password", async () => {
    const port = await closedPort();
    const { logger: log } = logger();
    const error = await connectRedis(`redis://h:s3cr3t-pw@127.0.0.1:${port}`, {
      logger: log,
      timeoutMs: 2_000,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(exitCodeFor(error)).toBe(69);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).not.toContain("s3cr3t-pw");
  });

  it("refuses a URL that is not redis:// or rediss:// without echoing it", async () => {
    const { logger: log } = logger();
    for (const url of ["http://u:pw-1234@h", "not a url pw-1234", "redis://h/x", "redis:"]) {
      const error = await connectRedis(url, { logger: log, timeoutMs: 100 }).catch((e) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).not.toContain("pw-1234");
    }
  });

  it("names an unreadable CA file", async () => {
    const { logger: log } = logger();
    const error = await connectRedis("rediss://127.0.0.1:1", {
      logger: log,
      timeoutMs: 100,
      caFile: "/nonexistent/ca.pem",
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe("cannot read the Redis CA file /nonexistent/ca.pem: ENOENT");
  });

  it("logs the insecure TLS opt-out at warn", async () => {
    const port = await closedPort();
    const { logger: log, stream } = logger();
    await connectRedis(`rediss://:pw-5678@127.0.0.1:${port}`, {
      logger: log,
      timeoutMs: 2_000,
      insecureSkipVerify: true,
    }).catch(() => undefined);
    expect(stream.lines()).toContainEqual(
      expect.objectContaining({
        level: "warn",
        msg: "not verifying the Redis server's TLS certificate (insecure opt-out)",
      }),
    );
    expect(stream.text).not.toContain("pw-5678");
  });

  it("verifies TLS by default: a plain-text server fails the handshake", async () => {
    const port = await listen((socket) => socket.end("-ERR not tls\r\n"));
    const { logger: log, stream } = logger();
    const error = await connectRedis(`rediss://127.0.0.1:${port}`, {
      logger: log,
      timeoutMs: 2_000,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(stream.lines().filter((line) => line.level === "warn")).toEqual([]);
  });
});
