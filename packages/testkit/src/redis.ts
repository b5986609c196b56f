import { mkdtemp, readFile, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDebianPackages, REDIS_SERVER } from "./debian-packages.js";
import { findFreePort } from "./free-port.js";
import { superviseProcess } from "./supervised-process.js";
import { waitFor } from "./wait-for.js";

export interface RedisServer {
  /** `redis://127.0.0.1:PORT` */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Require this password (`requirepass`). */
  password?: string;
  /** More `redis-server` arguments, such as TLS settings. */
  extraArgs?: string[];
}

/** Starts a throwaway redis-server on a free loopback port, with no persistence. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const [redisServer] = ensureDebianPackages([REDIS_SERVER]);
  const dir = await mkdtemp(join(tmpdir(), "restyled-redis-"));
  const port = await findFreePort();
  const logFile = join(dir, "redis.log");
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir];
  args.push("--save", "", "--appendonly", "no", "--protected-mode", "yes");
  if (options.password) args.push("--requirepass", options.password);
  args.push(...(options.extraArgs ?? []));
  const server = superviseProcess({
    name: "redis-server",
    command: redisServer as string,
    args,
    logFile,
  });

  const stop = async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(() => answersPing(port), {
      what: `redis-server on port ${port}`,
      // A hang guard: on a busy machine a ready server can take seconds to answer.
      timeoutMs: 60_000,
      gaveUp: () => server.exited,
      diagnose: () => readFile(logFile, "utf8").catch(() => "(no log)"),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : "";
  return { url: `redis://${auth}127.0.0.1:${port}`, port, stop };
}

/** A ready server answers PING (or NOAUTH when it wants a password). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => {
      socket.destroy();
      resolve(/^(\+PONG|-NOAUTH)/.test(data.toString()));
    });
    socket.on("error", () => resolve(false));
    socket.on("close", () => resolve(false));
  });
}
