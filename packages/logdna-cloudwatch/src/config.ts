import { parseEnvironmentName } from "@restyled/core/contract";
import { ConfigError, errorMessage } from "@restyled/core/errors";
import { boolean } from "@restyled/core/options";
import { isLoopbackHost } from "@restyled/core/url";
import { DEFAULT_MAX_REQUEST_BYTES } from "./batch.js";
import { MAX_APP_CHARS } from "./transform.js";

export const DEFAULT_INGEST_URL = "https://logs.logdna.com/logs/ingest";

/** Where and how to send lines: shared by the Lambda and the backfill command. */
export interface IngestConfig {
  ingestUrl: URL;
  hostname: string;
  /** Comma-separated, as LogDNA's `tags` query parameter wants them. */
  tags: string | undefined;
  maxRequestBytes: number;
}

/** The Lambda's configuration, read once from its environment. */
export interface ForwarderConfig extends IngestConfig {
  env: string;
  /** `LOGDNA_KEY`; when unset the key comes from SSM. */
  key: string | undefined;
}

type Env = Record<string, string | undefined>;

const MIN_REQUEST_BYTES = 64 * 1024;
const MAX_REQUEST_BYTES = 10_000_000;

/** Reads and checks the forwarder's environment variables; fails naming the variable. */
export function readForwarderConfig(env: Env = process.env): ForwarderConfig {
  const restyledEnv = readRestyledEnv(env.RESTYLED_ENV, "RESTYLED_ENV");
  const key = env.LOGDNA_KEY?.trim() || undefined;
  return { env: restyledEnv, key, ...readIngestConfig(env, restyledEnv) };
}

/** Checks an environment name (it becomes part of SSM parameter names), naming its source. */
export function readRestyledEnv(value: string | undefined, name: string): string {
  const restyledEnv = value?.trim();
  if (!restyledEnv) throw new ConfigError(`${name} is required (for example "prod")`);
  try {
    return parseEnvironmentName(restyledEnv);
  } catch (error) {
    throw new ConfigError(`${name}: ${(error as Error).message}`, { cause: error });
  }
}

/** The ingest settings: `LOGDNA_HOSTNAME`, `LOGDNA_TAGS`, `LOGDNA_INGEST_URL`, … */
export function readIngestConfig(env: Env, restyledEnv: string): IngestConfig {
  const hostname = env.LOGDNA_HOSTNAME?.trim() || `restyled-${restyledEnv}`;
  if (hostname.length > MAX_APP_CHARS || /\s/.test(hostname)) {
    throw new ConfigError(
      `LOGDNA_HOSTNAME must be at most ${MAX_APP_CHARS} characters with no spaces`,
    );
  }
  const tags = (env.LOGDNA_TAGS ?? "")
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "")
    .join(",");
  return {
    ingestUrl: parseIngestUrl(env.LOGDNA_INGEST_URL?.trim() || DEFAULT_INGEST_URL, {
      allowHttp: readBoolean(env, "LOGDNA_ALLOW_HTTP"),
    }),
    hostname,
    tags: tags || undefined,
    maxRequestBytes: parseMaxRequestBytes(env.LOGDNA_MAX_REQUEST_BYTES),
  };
}

/**
 * Checks the ingest URL: https only; plain http only to a loopback stand-in and
 * only when explicitly allowed (the key would travel unencrypted), and never
 * with credentials in it: the key is sent as basic auth, and a URL may end up
 * in a log line.
 */
export function parseIngestUrl(value: string, options: { allowHttp: boolean }): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`LOGDNA_INGEST_URL: ${JSON.stringify(value)} is not a URL`);
  }
  if (url.username || url.password) {
    throw new ConfigError(
      "LOGDNA_INGEST_URL: must not contain credentials: set LOGDNA_KEY instead",
    );
  }
  if (url.protocol === "http:" && !(options.allowHttp && isLoopbackHost(url.hostname))) {
    throw new ConfigError(
      `LOGDNA_INGEST_URL: "${url.origin}${url.pathname}" is plain http, which would send the key unencrypted; use https (LOGDNA_ALLOW_HTTP=true allows a loopback stand-in only)`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`LOGDNA_INGEST_URL: must be an https URL, got ${url.protocol}`);
  }
  return url;
}

function parseMaxRequestBytes(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_MAX_REQUEST_BYTES;
  const bytes = Number(value);
  if (!Number.isInteger(bytes) || bytes < MIN_REQUEST_BYTES || bytes > MAX_REQUEST_BYTES) {
    throw new ConfigError(
      `LOGDNA_MAX_REQUEST_BYTES must be a whole number of bytes from ${MIN_REQUEST_BYTES} to ${MAX_REQUEST_BYTES}, got ${JSON.stringify(value)}`,
    );
  }
  return bytes;
}

/** A boolean variable in the shared vocabulary (unset or empty: false), failing naming it. */
function readBoolean(env: Env, name: string): boolean {
  const value = env[name]?.trim();
  if (!value) return false;
  try {
    return boolean(value);
  } catch (error) {
    throw new ConfigError(`${name}: ${errorMessage(error)}`, { cause: error });
  }
}
