/**
 * One way to connect to Redis: TLS (`rediss://`) verified by default, an
 * extra CA file, a logged opt-out for Heroku's self-signed certificates, a
 * deadline for the whole exchange, no reconnect loop.
 */
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import { createClient } from "redis";
import { ConfigError, UnavailableError } from "./errors.js";
import type { Logger } from "./logger.js";
import { redactSecrets, redactUrl } from "./redact.js";

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisOptions {
  /** PEM file of a CA to trust for `rediss://`, besides the system's. */
  caFile?: string;
  /** Do not verify a `rediss://` certificate (Heroku's are self-signed). Logged at warn. */
  insecureSkipVerify?: boolean;
  logger: Logger;
  /** Connecting (for `connectRedis`), or the whole exchange (for `withRedis`). */
  timeoutMs: number;
  signal?: AbortSignal;
}

interface Target {
  tls: boolean;
  host: string;
  port: number;
  username?: string;
  password?: string;
  database?: number;
  safe: string;
}

/** Takes a Redis URL apart; never echoes it or its password in an error. */
function parseTarget(url: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new ConfigError("the Redis URL is not a URL (expected redis:// or rediss://)");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new ConfigError(
      `the Redis URL must start with redis:// or rediss:// (got ${parsed.protocol.slice(0, 20)})`,
    );
  }
  if (parsed.hostname === "") throw new ConfigError("the Redis URL has no host");
  let database: number | undefined;
  if (parsed.pathname !== "" && parsed.pathname !== "/") {
    const match = /^\/(\d{1,5})$/.exec(parsed.pathname);
    if (!match) throw new ConfigError("the Redis URL has a path that is not a database number");
    database = Number(match[1]);
  }
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new ConfigError("the Redis URL has badly percent-encoded credentials");
    }
  };
  return {
    tls: parsed.protocol === "rediss:",
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    username: parsed.username ? decode(parsed.username) : undefined,
    password: parsed.password ? decode(parsed.password) : undefined,
    database,
    safe: redactUrl(
      `${parsed.protocol}//${parsed.username || parsed.password ? "u:p@" : ""}${parsed.host}`,
    ),
  };
}

/**
 * Connects within `timeoutMs` (no retries: an unreachable Redis fails now).
 * Bad URL or CA file → `ConfigError`; no connection → `UnavailableError`
 * naming the redacted URL. Close it with `client.destroy()` or `withRedis`.
 */
export async function connectRedis(url: string, options: RedisOptions): Promise<RedisClient> {
  const target = parseTarget(url);
  const client = await makeClient(target, options);
  try {
    await deadline(client.connect(), target, options, "connect");
    return client as RedisClient;
  } catch (error) {
    client.destroy();
    throw describeRedisError(error, target, url);
  }
}

/**
 * Connects, runs `work`, and always closes the connection; the connection and
 * `work` together must finish within `timeoutMs` (a server that accepts but
 * never answers fails the call instead of hanging it).
 */
export async function withRedis<T>(
  url: string,
  options: RedisOptions,
  work: (client: RedisClient) => Promise<T>,
): Promise<T> {
  const target = parseTarget(url);
  const client = await makeClient(target, options);
  try {
    return await deadline(
      (async () => {
        await client.connect();
        return work(client as RedisClient);
      })(),
      target,
      options,
      "answer",
    );
  } catch (error) {
    throw describeRedisError(error, target, url);
  } finally {
    // close() would wait for commands in flight, which a silent server never answers.
    client.destroy();
  }
}

async function makeClient(target: Target, options: RedisOptions) {
  let ca: string | undefined;
  if (options.caFile) {
    try {
      ca = await readFile(options.caFile, "utf8");
    } catch (error) {
      throw new ConfigError(
        `cannot read the Redis CA file ${options.caFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        { cause: error },
      );
    }
  }
  if (target.tls && options.insecureSkipVerify) {
    options.logger.warn("not verifying the Redis server's TLS certificate (insecure opt-out)", {
      redis: target.safe,
    });
  }
  const socket = target.tls
    ? {
        tls: true as const,
        host: target.host,
        port: target.port,
        // SNI carries host names only (RFC 6066), never IP addresses.
        ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
        rejectUnauthorized: !options.insecureSkipVerify,
        ...(ca ? { ca } : {}),
      }
    : { host: target.host, port: target.port };
  const client = createClient({
    socket: { ...socket, connectTimeout: options.timeoutMs, reconnectStrategy: false },
    username: target.username,
    password: target.password,
    database: target.database,
    // RESP2 as restyled.io's own client speaks it; works on Redis without HELLO.
    RESP: 2,
    disableOfflineQueue: true,
  });
  // Without a listener node-redis turns a connection error into an uncaught
  // exception; the same errors reject connect() or the command.
  client.on("error", (error: unknown) =>
    options.logger.debug("redis client error", { error: String(error) }),
  );
  return client;
}

function deadline<T>(
  work: Promise<T>,
  target: Target,
  options: RedisOptions,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`no ${what} within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    const onAbort = () => finish(options.signal?.reason ?? new Error("aborted"));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    function finish(error: unknown, value?: T) {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (error === undefined) resolve(value as T);
      else reject(error);
    }
    work.then(
      (value) => finish(undefined, value),
      (error) => finish(error ?? new Error(`Redis at ${target.safe} failed`)),
    );
  });
}

function describeRedisError(error: unknown, target: Target, url: string): Error {
  if (error instanceof ConfigError || (error as Error)?.name === "AbortError")
    return error as Error;
  const raw = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string })?.code;
  const message = redactSecrets(raw, [url, target.password]);
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message)) {
    return new ConfigError(`Redis at ${target.safe} rejected the credentials`, { cause: error });
  }
  let hint = "";
  if (
    target.tls &&
    /certificate|self[- ]signed|CERT_|unable to verify/i.test(`${code} ${message}`)
  ) {
    hint =
      "; Heroku Redis uses self-signed certificates: trust its CA with a CA file, or opt out of verification explicitly";
  }
  return new UnavailableError(`Redis at ${target.safe} did not answer: ${message}${hint}`, {
    cause: error,
  });
}
