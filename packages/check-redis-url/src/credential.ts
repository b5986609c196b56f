import type { Logger } from "@restyled/core/logger";
import { InvalidUrlError } from "./errors.js";
import { checkPostgres } from "./postgres-check.js";
import { type PostgresTarget, parsePostgresUrl } from "./postgres-url.js";
import { pingRedis } from "./redis-ping.js";
import { parseRedisUrl, type RedisTarget } from "./redis-url.js";

/** A credential URL, taken apart, and the kind of server it opens. */
export type Credential =
  | { kind: "redis"; url: string; target: RedisTarget }
  | { kind: "postgres"; url: string; target: PostgresTarget };

export type CredentialKind = Credential["kind"];

/** The kind a URL's scheme announces, or undefined for anything else. */
export function kindOfUrl(raw: string): CredentialKind | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw.trim())?.[1]?.toLowerCase();
  if (scheme === "redis" || scheme === "rediss") return "redis";
  if (scheme === "postgres" || scheme === "postgresql") return "postgres";
  return undefined;
}

/**
 * Validates a Redis or PostgreSQL URL, choosing by its scheme. Errors name
 * `source` and never repeat the URL.
 */
export function parseCredentialUrl(raw: string, source: string): Credential {
  const kind = kindOfUrl(raw);
  if (kind === "redis") return { kind, url: raw, target: parseRedisUrl(raw, source) };
  if (kind === "postgres") return { kind, url: raw, target: parsePostgresUrl(raw, source) };
  if (raw.trim() === "") throw new InvalidUrlError(`${source} is empty`);
  throw new InvalidUrlError(
    `${source} is not a redis://, rediss://, postgres:// or postgresql:// URL`,
  );
}

export interface ProofOptions {
  timeoutMs: number;
  /** The Redis CA is a file the shared connection reads; PostgreSQL's is its PEM text. */
  redis: { tlsVerify: boolean; caFile: string | undefined };
  postgres: { tlsVerify: boolean; ca: string | undefined };
  logger: Logger;
}

/** Proves the credential opens its server: Redis answers PING, PostgreSQL `SELECT 1`. */
export async function proveCredential(
  credential: Credential,
  options: ProofOptions,
): Promise<string> {
  if (credential.kind === "redis") {
    await pingRedis(credential.url, credential.target, {
      timeoutMs: options.timeoutMs,
      logger: options.logger,
      ...options.redis,
    });
    return "PING";
  }
  await checkPostgres(credential.target, { timeoutMs: options.timeoutMs, ...options.postgres });
  return "SELECT 1";
}
