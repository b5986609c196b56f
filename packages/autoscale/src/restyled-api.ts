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
  const endpoint = new URL("/admin/machines/state", options.url);
  let response: Response;
  try {
    response = await fetch(endpoint, {
      headers: { authorization: `token ${options.token}`, accept: "application/json" },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new RestyledApiError(`GET ${endpoint} failed: ${describeFetchError(error)}`, {
      cause: error,
    });
  }
  const text = await response.text();
  if (response.status === 404) {
    throw new RestyledApiError(
      `GET ${endpoint} answered 404: restyled.io answers 404 for a missing or wrong token, so the API token may be wrong`,
    );
  }
  if (!response.ok) {
    throw new RestyledApiError(
      `GET ${endpoint} answered ${response.status}: ${text.slice(0, 200)}`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RestyledApiError(`GET ${endpoint} answered 200 with a body that is not JSON`);
  }
  return { jobCounts: parseJobCounts(body, String(endpoint)) };
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
