import { RestyledApiError } from "./errors.js";

/** In-flight work as restyled.io's `GET /admin/machines/state` reports it. */
export interface MachinesState {
  /** Running jobs per machine name. */
  jobCounts: Record<string, number>;
}

export interface ReadMachinesStateOptions {
  /** restyled.io's base URL, such as `https://restyled.io`. */
  url: string;
  token: string;
  timeoutMs?: number;
}

/** Reads running jobs per machine from restyled.io's admin API. */
export async function readMachinesState(options: ReadMachinesStateOptions): Promise<MachinesState> {
  const body = await request(options, "GET", "/admin/machines/state");
  return {
    jobCounts: parseJobCounts(body, `GET ${new URL("/admin/machines/state", options.url)}`),
  };
}

/** A machine as `GET /admin/machines` lists it (the fields the reconcile uses). */
export interface ListedMachine {
  id: number;
  name: string;
  enabled: boolean;
  jobCount: number;
}

/** Lists every registered machine (enabled or not). */
export async function listMachines(options: ReadMachinesStateOptions): Promise<ListedMachine[]> {
  const what = `GET ${new URL("/admin/machines", options.url)}`;
  const body = await request(options, "GET", "/admin/machines");
  if (!Array.isArray(body))
    throw new RestyledApiError(`${what} answered without an array of machines`);
  return body.map((entry, index) => parseMachine(entry, `${what}: machine ${index + 1}`));
}

/** Enables or disables a machine (`PATCH /admin/machines/:id`); restyled.io sends no job to a disabled one. */
export async function setMachineEnabled(
  options: ReadMachinesStateOptions,
  id: number,
  enabled: boolean,
): Promise<ListedMachine> {
  const body = await request(options, "PATCH", `/admin/machines/${id}`, { enabled });
  return parseMachine(body, `PATCH ${new URL(`/admin/machines/${id}`, options.url)}`);
}

/** Reads one machine, to see whether a job reached it after it was disabled. */
export async function getMachine(
  options: ReadMachinesStateOptions,
  id: number,
): Promise<ListedMachine> {
  const body = await request(options, "GET", `/admin/machines/${id}`);
  return parseMachine(body, `GET ${new URL(`/admin/machines/${id}`, options.url)}`);
}

/** De-registers a machine (`DELETE /admin/machines/:id`). */
export async function deleteMachine(options: ReadMachinesStateOptions, id: number): Promise<void> {
  await request(options, "DELETE", `/admin/machines/${id}`);
}

function parseMachine(entry: unknown, what: string): ListedMachine {
  const m = (entry && typeof entry === "object" ? entry : {}) as Record<string, unknown>;
  const jobCount = m.jobCount ?? 0;
  if (
    typeof m.id !== "number" ||
    !Number.isInteger(m.id) ||
    typeof m.name !== "string" ||
    typeof m.enabled !== "boolean" ||
    typeof jobCount !== "number" ||
    !Number.isInteger(jobCount) ||
    jobCount < 0
  ) {
    throw new RestyledApiError(`${what} is not a machine (id, name, enabled, jobCount)`);
  }
  return { id: m.id, name: m.name, enabled: m.enabled, jobCount };
}

/** One admin API request with the token; a 404 says the token may be wrong, as restyled.io hides routes from it. */
async function request(
  options: ReadMachinesStateOptions,
  method: string,
  path: string,
  json?: unknown,
): Promise<unknown> {
  const endpoint = new URL(path, options.url);
  const what = `${method} ${endpoint}`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method,
      headers: {
        authorization: `token ${options.token}`,
        accept: "application/json",
        ...(json === undefined ? {} : { "content-type": "application/json" }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new RestyledApiError(`${what} failed: ${describeFetchError(error)}`, { cause: error });
  }
  const text = await response.text();
  if (response.status === 404) {
    throw new RestyledApiError(
      `${what} answered 404: restyled.io answers 404 for a missing or wrong token, so the API token may be wrong`,
    );
  }
  if (!response.ok) {
    throw new RestyledApiError(`${what} answered ${response.status}: ${text.slice(0, 200)}`);
  }
  if (response.status === 204) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new RestyledApiError(`${what} answered ${response.status} with a body that is not JSON`);
  }
}

function parseJobCounts(body: unknown, endpoint: string): Record<string, number> {
  const jobCounts =
    body && typeof body === "object" ? (body as Record<string, unknown>).jobCounts : undefined;
  if (!jobCounts || typeof jobCounts !== "object" || Array.isArray(jobCounts)) {
    throw new RestyledApiError(`GET ${endpoint} answered without a jobCounts object`);
  }
  const counts: Record<string, number> = {};
  for (const [name, count] of Object.entries(jobCounts)) {
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
      throw new RestyledApiError(
        `GET ${endpoint}: jobCounts["${name}"] is ${JSON.stringify(count)}, not a job count`,
      );
    }
    counts[name] = count;
  }
  return counts;
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "timed out";
  // undici hides the useful part (ECONNREFUSED, a TLS failure) in `cause`.
  const cause = error instanceof Error ? (error.cause as Error & { code?: string }) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** Running jobs in total, and how many machines run at least one. */
export function summarizeJobCounts(state: MachinesState): {
  inFlight: number;
  busyMachines: number;
} {
  const counts = Object.values(state.jobCounts);
  return {
    inFlight: counts.reduce((sum, count) => sum + count, 0),
    busyMachines: counts.filter((count) => count > 0).length,
  };
}
