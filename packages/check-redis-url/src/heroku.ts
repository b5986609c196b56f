import { redactSecrets } from "@restyled/core/logger";
import { ConfigError, HerokuApiError } from "./errors.js";

const ACCEPT = "application/vnd.heroku+json; version=3";
const TIMEOUT_MS = 10_000;

export interface FetchConfigVarsOptions {
  /** Base URL of the Platform API, such as `https://api.heroku.com`. */
  baseUrl: string;
  apiKey: string;
  app: string;
  /** Where the key came from, so a 401 can say which one to fix. */
  apiKeySource: string;
}

/** Config vars as the Platform API answered them; read one with `pickConfigVar`. */
export type ConfigVars = Record<string, unknown>;

/** Reads the config vars of a Heroku app through the Platform API (one request for all of them). */
export async function fetchConfigVars(options: FetchConfigVarsOptions): Promise<ConfigVars> {
  const { app } = options;
  const url = `${options.baseUrl}/apps/${encodeURIComponent(app)}/config-vars`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        Accept: ACCEPT,
        Authorization: `Bearer ${options.apiKey}`,
        "User-Agent": "restyled-check-redis-url",
      },
      redirect: "error",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new HerokuApiError(
      `could not reach the Heroku API at ${options.baseUrl}: ${describe(error)}`,
      { cause: error, unavailable: true },
    );
  }
  const body = await response.text();
  if (!response.ok) throw explainStatus(response.status, body, options);

  const vars = parseObject(body);
  if (!vars) {
    throw new HerokuApiError(
      `the Heroku API answered config-vars of ${app} with something other than a JSON object`,
      { status: response.status },
    );
  }
  return vars;
}

/** One config var's value; a missing one is configuration to fix, a non-string one a broken answer. */
export function pickConfigVar(vars: ConfigVars, name: string, app: string): string {
  const value = vars[name];
  if (value === undefined || value === null) {
    throw new ConfigError(`Heroku app ${app} has no config var ${name}`);
  }
  if (typeof value !== "string") {
    throw new HerokuApiError(`Heroku config var ${name} of ${app} is not a string`);
  }
  return value;
}

function explainStatus(status: number, body: string, options: FetchConfigVarsOptions): Error {
  // A proxy or Heroku itself may echo the key back.
  const said = redactSecrets(herokuMessage(body), [options.apiKey]);
  const { app } = options;
  switch (status) {
    case 401:
      return new ConfigError(
        `Heroku rejected the API key from ${options.apiKeySource} (401${said}); store a valid key there`,
      );
    case 403:
      return new ConfigError(
        `the Heroku API key may not read the config vars of ${app} (403${said}); give its account access to the app`,
      );
    case 404:
      return new ConfigError(
        `Heroku has no app ${app} visible to this API key (404${said}); check --app / HEROKU_APP`,
      );
    case 429:
      return new HerokuApiError(
        `the Heroku API is rate-limiting this key (429${said}); try again later`,
        { status, unavailable: true },
      );
    default:
      return status >= 500
        ? new HerokuApiError(`the Heroku API failed (${status}${said}); try again later`, {
            status,
            unavailable: true,
          })
        : new HerokuApiError(`the Heroku API answered ${status}${said}`, { status });
  }
}

/** Heroku's own explanation (`{"id", "message"}`), short, for the error message. */
function herokuMessage(body: string): string {
  const parsed = parseObject(body);
  const text = parsed?.message ?? parsed?.error ?? parsed?.id;
  if (typeof text !== "string" || text.trim() === "") return "";
  return `: ${text.trim().slice(0, 200)}`;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError") return `no answer within ${TIMEOUT_MS / 1000}s`;
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
