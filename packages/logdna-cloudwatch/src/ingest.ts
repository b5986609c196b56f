import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { gzipSync } from "node:zlib";
import {
  type BackoffOptions,
  backoffDelay,
  DEFAULT_BACKOFF,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
} from "@restyled/core/backoff";
import { type Logger, redactSecrets } from "@restyled/core/logger";
import { type Batch, writeBody } from "./batch.js";
import type { IngestConfig } from "./config.js";
import { DeliveryError } from "./errors.js";

const USER_AGENT = "restyled-logdna-cloudwatch";
const MAX_ERROR_BODY_CHARS = 500;

/** How one batch is sent: where, as whom, and until when it may keep trying. */
export interface SendOptions extends Pick<IngestConfig, "ingestUrl" | "hostname" | "tags"> {
  key: string;
  /** Epoch milliseconds after which no attempt starts and no wait ends. */
  deadline: number;
  logger: Logger;
  requestTimeoutMs?: number;
  maxAttempts?: number;
  backoff?: BackoffOptions;
  sleep?: (ms: number) => Promise<void>;
}

/** What a delivered batch took. */
export interface SendResult {
  status: number;
  attempts: number;
}

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

/**
 * POSTs one gzipped batch to LogDNA's ingest API, retrying network errors,
 * 429 and 5xx with backoff (or `Retry-After`) while the deadline allows.
 * Any other 4xx fails at once with its status and body.
 */
export async function sendBatch(batch: Batch, options: SendOptions): Promise<SendResult> {
  const gzipped = gzipBody(batch);
  const maxAttempts = options.maxAttempts ?? 10;
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) {
      throw new DeliveryError(`no time left to send ${batch.lines} lines to LogDNA`);
    }
    let failure: string;
    let status: number | undefined;
    let waitMs: number | undefined;
    let cause: unknown;
    try {
      const answer = await postOnce(
        gzipped,
        options,
        Math.min(options.requestTimeoutMs ?? 30_000, remaining),
      );
      if (answer.status >= 200 && answer.status < 300)
        return { status: answer.status, attempts: attempt };
      status = answer.status;
      failure = `LogDNA answered ${answer.status}: ${redact(answer.body, options.key)}`;
      if (!isRetryableStatus(answer.status)) {
        throw new DeliveryError(`${failure} (not retried)`, { status: answer.status });
      }
      waitMs = parseRetryAfter(answer.retryAfter);
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      cause = error;
      failure = `could not reach LogDNA: ${redact((error as Error).message, options.key)}`;
      if (!isRetryableNetworkError(error)) {
        throw new DeliveryError(`${failure} (not retried)`, { cause: error });
      }
    }
    waitMs ??= backoffDelay(attempt, options.backoff ?? DEFAULT_BACKOFF);
    if (attempt >= maxAttempts) {
      throw new DeliveryError(`${failure} after ${attempt} attempts; giving up`, { status, cause });
    }
    if (Date.now() + waitMs >= options.deadline) {
      throw new DeliveryError(
        `${failure} after ${attempt} attempt(s); the next try in ${waitMs} ms would pass the invocation's deadline`,
        { status, cause },
      );
    }
    options.logger.warn("retrying LogDNA delivery", {
      attempt,
      status,
      waitMs,
      lines: batch.lines,
      error: failure,
    });
    await sleep(waitMs);
  }
}

// One buffer, reused, to encode request bodies into before compressing them.
// Handing gzipSync the string would allocate a fresh buffer of the body's
// size for every request, and with bodies of megabytes that allocation (the
// kernel mapping new pages) costs more than the compression itself. Safe to
// share: it is filled and read within one synchronous call.
let scratch = Buffer.alloc(0);

/** Gzips a batch's body (level 1: log lines are repetitive enough that it
 * compresses almost as well as the default level 6, about 5% bigger, at a
 * fifth of the CPU time). */
export function gzipBody(batch: Batch): Buffer {
  if (scratch.length < batch.bytes) scratch = Buffer.allocUnsafe(batch.bytes);
  const written = writeBody(batch, scratch);
  return gzipSync(scratch.subarray(0, written), { level: 1 });
}

function postOnce(gzipped: Buffer, options: SendOptions, timeoutMs: number): Promise<Answer> {
  const url = new URL(options.ingestUrl);
  url.searchParams.set("hostname", options.hostname);
  url.searchParams.set("now", String(Date.now()));
  if (options.tags) url.searchParams.set("tags", options.tags);
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        // rejectUnauthorized stays at its default (true): TLS is always verified.
        headers: {
          authorization: `Basic ${Buffer.from(`${options.key}:`).toString("base64")}`,
          "content-type": "application/json; charset=UTF-8",
          "content-encoding": "gzip",
          "content-length": gzipped.length,
          "user-agent": USER_AGENT,
        },
        timeout: timeoutMs,
      },
      (response) => readAnswer(response).then(resolve, reject),
    );
    req.on("timeout", () => {
      const error = Object.assign(new Error(`no answer within ${timeoutMs} ms`), {
        code: "ETIMEDOUT",
      });
      req.destroy(error);
    });
    req.on("error", reject);
    req.end(gzipped);
  });
}

async function readAnswer(response: IncomingMessage): Promise<Answer> {
  let body = "";
  response.setEncoding("utf8");
  for await (const chunk of response) {
    // Only the start of an error body is worth showing; keep reading so the socket is freed.
    if (body.length < MAX_ERROR_BODY_CHARS) body += chunk;
  }
  const retryAfter = response.headers["retry-after"];
  return {
    status: response.statusCode ?? 0,
    retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
    body: body.slice(0, MAX_ERROR_BODY_CHARS).trim(),
  };
}

/**
 * Keeps the key out of error messages, in case a server or proxy echoes it,
 * bare or as the basic-auth credentials it travels in.
 */
function redact(text: string, key: string): string {
  return redactSecrets(text, [key, Buffer.from(`${key}:`).toString("base64")]);
}
