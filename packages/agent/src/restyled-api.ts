import { RestyledApiError } from "./errors.js";
import { type HttpAnswer, sendHttpRequest } from "./http-request.js";
import { retry } from "./retry.js";

/** A machine as restyled.io's admin API returns it. */
export interface Machine {
  id: number;
  name: string;
  enabled: boolean;
  host: string;
  jobCount?: number;
  reconciling?: boolean;
}

export interface NewMachine {
  name: string;
  host: string;
  certificateAuthority: string;
  certificate: string;
  privateKey: string;
}

export interface RestyledApiOptions {
  baseUrl: string;
  token: string;
  /** Attempts for each call; network errors, 429 and 5xx are retried. */
  attempts: number;
  retryDelayMs: number;
  timeoutMs?: number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export interface CallOptions {
  /** Cuts retries short (a forced shutdown). */
  signal?: AbortSignal;
  attempts?: number;
}

/** The machine registry (`/admin/machines`) of restyled.io, per the contract in ARCHITECTURE.md. */
export class RestyledApi {
  constructor(private readonly options: RestyledApiOptions) {}

  listMachines(call?: CallOptions): Promise<Machine[]> {
    return this.#request<Machine[]>("GET", "/admin/machines", undefined, call);
  }

  createMachine(machine: NewMachine, call?: CallOptions): Promise<Machine> {
    return this.#request<Machine>("POST", "/admin/machines", machine, call);
  }

  getMachine(id: number, call?: CallOptions): Promise<Machine> {
    return this.#request<Machine>("GET", `/admin/machines/${id}`, undefined, call);
  }

  setEnabled(id: number, enabled: boolean, call?: CallOptions): Promise<Machine> {
    return this.#request<Machine>("PATCH", `/admin/machines/${id}`, { enabled }, call);
  }

  async deleteMachine(id: number, call?: CallOptions): Promise<void> {
    await this.#request<undefined>("DELETE", `/admin/machines/${id}`, undefined, call);
  }

  /** The machine called `name`, if the registry has one. */
  async findMachine(name: string, call?: CallOptions): Promise<Machine | undefined> {
    return (await this.listMachines(call)).find((machine) => machine.name === name);
  }

  async #request<T>(
    method: string,
    path: string,
    body: unknown,
    call: CallOptions = {},
  ): Promise<T> {
    return retry(() => this.#once<T>(method, path, body), {
      attempts: call.attempts ?? this.options.attempts,
      delayMs: this.options.retryDelayMs,
      signal: call.signal,
      retryable: isRetryable,
      onRetry: this.options.onRetry,
    });
  }

  async #once<T>(method: string, path: string, body: unknown): Promise<T> {
    const headers: Record<string, string> = {
      Authorization: `token ${this.options.token}`,
      Accept: "application/json",
    };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: HttpAnswer;
    try {
      response = await sendHttpRequest(`${this.options.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: this.options.timeoutMs ?? 15_000,
      });
    } catch (error) {
      throw new RestyledApiError(
        `${method} ${path}: restyled.io did not answer (${causeOf(error)})`,
        undefined,
        { cause: error },
      );
    }
    const { text } = response;
    if (response.status === 404) {
      throw new RestyledApiError(
        `${method} ${path} answered 404: not found, or the restyled.io API token is wrong (restyled.io answers 404 to a bad token)`,
        404,
      );
    }
    if (response.status < 200 || response.status > 299) {
      throw new RestyledApiError(
        `${method} ${path} answered ${response.status}: ${excerpt(text)}`,
        response.status,
      );
    }
    if (response.status === 204 || text === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new RestyledApiError(
        `${method} ${path} answered ${response.status} with a body that is not JSON: ${excerpt(text)}`,
        response.status,
        { cause: error },
      );
    }
  }
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof RestyledApiError)) return false;
  return error.status === undefined || error.status === 429 || error.status >= 500;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || "(empty body)";
}

function causeOf(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ?? e.message ?? String(error);
}
