/**
 * restyled.io's admin API (the machine registry), per the contract in
 * ARCHITECTURE.md: `Authorization: token …`, JSON both ways, and a 404 for a
 * missing or wrong token.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ConfigError, RestyledError } from "./errors.js";
import { type HttpAnswer, sendHttpRequest } from "./http-request.js";
import type { Logger } from "./logger.js";
import { checkHttpsUrl } from "./url.js";

/** A machine as the registry returns it. */
export interface Machine {
  id: number;
  name: string;
  enabled: boolean;
  host: string;
  caCert?: string;
  cert?: string;
  key?: string;
  jobCount?: number;
  reconciling?: boolean;
}

/** The body of `POST /admin/machines`. */
export interface NewMachine {
  name: string;
  host: string;
  certificateAuthority: string;
  certificate: string;
  privateKey: string;
}

/** `GET /admin/machines/state`: in-flight work on the enabled machines. */
export interface MachinesState {
  queueDepth: number | null;
  /** Jobs per machine name. */
  jobCounts: Record<string, number>;
  containerProcesses: Record<string, string>;
}

/** restyled.io failed a request. `status` is undefined when it never answered. */
export class RestyledApiError extends RestyledError {
  override name = "RestyledApiError";
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    // No answer, throttling or a server error: restyled.io is unavailable (69).
    const unavailable =
      options.status === undefined || options.status === 429 || options.status >= 500;
    super(message, { cause: options.cause, exitCode: unavailable ? 69 : 1 });
    this.status = options.status;
  }

  /** Worth trying again later: no answer, 429 or 5xx. */
  get retryable(): boolean {
    return this.status === undefined || this.status === 429 || this.status >= 500;
  }
}

export interface RestyledApiOptions {
  /** `https://restyled.io`; plain http only to loopback. */
  baseUrl: string;
  token: string;
  logger?: Logger;
  /** Per request (default 15s). */
  requestTimeoutMs?: number;
  /** Aborts every request (a shutdown); calls may pass their own too. */
  signal?: AbortSignal;
  /** Attempts per call for network errors, 429 and 5xx (default 1: no retry). */
  attempts?: number;
  /** First delay between attempts, doubling (default 1s). */
  retryDelayMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface RestyledApi {
  listMachines(call?: CallOptions): Promise<Machine[]>;
  getMachine(id: number, call?: CallOptions): Promise<Machine>;
  createMachine(body: NewMachine, call?: CallOptions): Promise<Machine>;
  setEnabled(id: number, enabled: boolean, call?: CallOptions): Promise<Machine>;
  deleteMachine(id: number, call?: CallOptions): Promise<void>;
  getState(call?: CallOptions): Promise<MachinesState>;
}

/**
 * A client of the machine registry. Refuses (ConfigError) a base URL that
 * would send the token in the clear: https only, plain http only to loopback.
 */
export function createRestyledApi(options: RestyledApiOptions): RestyledApi {
  let base: URL;
  try {
    base = checkHttpsUrl(options.baseUrl);
  } catch (error) {
    throw new ConfigError(`restyled.io URL ${(error as Error).message}`, { cause: error });
  }
  const prefix = base.toString().replace(/\/+$/, "");
  const request = <T>(method: string, path: string, body?: unknown, call?: CallOptions) =>
    withRetries(options, call, () => requestOnce<T>(options, prefix, method, path, body, call));
  return {
    listMachines: (call) => request<Machine[]>("GET", "/admin/machines", undefined, call),
    getMachine: (id, call) => request<Machine>("GET", `/admin/machines/${id}`, undefined, call),
    createMachine: (body, call) => request<Machine>("POST", "/admin/machines", body, call),
    setEnabled: (id, enabled, call) =>
      request<Machine>("PATCH", `/admin/machines/${id}`, { enabled }, call),
    deleteMachine: async (id, call) => {
      await request<undefined>("DELETE", `/admin/machines/${id}`, undefined, call);
    },
    getState: async (call) =>
      parseState(await request<unknown>("GET", "/admin/machines/state", undefined, call)),
  };
}

async function withRetries<T>(
  options: RestyledApiOptions,
  call: CallOptions | undefined,
  once: () => Promise<T>,
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 1);
  let delay = options.retryDelayMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (error) {
      const signal = anySignal(options.signal, call?.signal);
      if (
        attempt >= attempts ||
        signal?.aborted ||
        !(error instanceof RestyledApiError && error.retryable)
      ) {
        throw error;
      }
      options.logger?.warn("restyled.io call failed; retrying", {
        error: error.message,
        attempt,
        delayMs: delay,
      });
      await sleep(delay, undefined, { signal });
      delay = Math.min(delay * 2, 30_000);
    }
  }
}

async function requestOnce<T>(
  options: RestyledApiOptions,
  prefix: string,
  method: string,
  path: string,
  body: unknown,
  call: CallOptions | undefined,
): Promise<T> {
  const headers: Record<string, string> = {
    Authorization: `token ${options.token}`,
    Accept: "application/json",
  };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const what = `${method} ${path}`;
  let answer: HttpAnswer;
  try {
    answer = await sendHttpRequest(new URL(`${prefix}${path}`), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: options.requestTimeoutMs ?? 15_000,
      signal: anySignal(options.signal, call?.signal),
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new RestyledApiError(`${what}: restyled.io did not answer (${causeOf(error)})`, {
      cause: error,
    });
  }
  const { status, text } = answer;
  if (status === 404) {
    throw new RestyledApiError(
      `${what} answered 404: not found, or the restyled.io API token is wrong (restyled.io answers 404 to a missing or bad token)`,
      { status },
    );
  }
  if (status < 200 || status > 299) {
    throw new RestyledApiError(`${what} answered ${status}: ${excerpt(text)}`, { status });
  }
  if (status === 204 || text === "") return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new RestyledApiError(
      `${what} answered ${status} with a body that is not JSON: ${excerpt(text)}`,
      {
        status,
        cause: error,
      },
    );
  }
}

function parseState(body: unknown): MachinesState {
  const what = "GET /admin/machines/state";
  const record = body && typeof body === "object" ? (body as Record<string, unknown>) : undefined;
  const jobCounts = record?.jobCounts;
  if (!jobCounts || typeof jobCounts !== "object" || Array.isArray(jobCounts)) {
    throw new RestyledApiError(`${what} answered without a jobCounts object`, { status: 200 });
  }
  const counts: Record<string, number> = {};
  for (const [name, count] of Object.entries(jobCounts)) {
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
      throw new RestyledApiError(
        `${what}: jobCounts["${name}"] is ${JSON.stringify(count)}, not a job count`,
        { status: 200 },
      );
    }
    counts[name] = count;
  }
  const depth = record?.queueDepth;
  const processes = record?.containerProcesses;
  return {
    queueDepth: typeof depth === "number" && Number.isInteger(depth) ? depth : null,
    jobCounts: counts,
    containerProcesses:
      processes && typeof processes === "object" ? (processes as Record<string, string>) : {},
  };
}

function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || "(empty body)";
}

function causeOf(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code
    ? `${e.code}${e.message?.includes(e.code) ? "" : `: ${e.message}`}`
    : (e.message ?? String(error));
}
