import { type HerokuApiStandIn, startHerokuApi } from "@restyled/testkit/heroku-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, HerokuApiError } from "./errors.js";
import { type FetchConfigVarsOptions, fetchConfigVars, pickConfigVar } from "./heroku.js";

// The Heroku Platform API is a loopback stand-in (testkit) built to Heroku's
// documented behaviour; everything else here is real HTTP.
const TOKEN = "heroku-api-key-0123456789";
let heroku: HerokuApiStandIn;

beforeAll(async () => {
  heroku = await startHerokuApi({
    token: TOKEN,
    apps: { "restyled-io": { REDIS_URL: "rediss://:pw@redis.example.com:25310", OTHER: "x" } },
  });
});
afterAll(() => heroku.close());

const options = () => ({
  baseUrl: heroku.url,
  apiKey: TOKEN,
  app: "restyled-io",
  name: "REDIS_URL",
  apiKeySource: "SSM /restyled/test/heroku-api-key",
});

/** One config var, fetched and picked the way a run does it. */
async function fetchConfigVar(options: FetchConfigVarsOptions & { name: string }): Promise<string> {
  return pickConfigVar(await fetchConfigVars(options), options.name, options.app);
}

describe("fetchConfigVars and pickConfigVar", () => {
  it("reads the config var with the version 3 Accept header and a Bearer token", async () => {
    expect(await fetchConfigVar(options())).toBe("rediss://:pw@redis.example.com:25310");
    const request = heroku.requests.at(-1);
    expect(request?.method).toBe("GET");
    expect(request?.url).toBe("/apps/restyled-io/config-vars");
    expect(request?.headers.accept).toBe("application/vnd.heroku+json; version=3");
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("talks to a stand-in that, like Heroku, refuses requests without the version 3 Accept header", async () => {
    const response = await fetch(`${heroku.url}/apps/restyled-io/config-vars`, {
      headers: { Authorization: `Bearer ${TOKEN}`, Accept: "application/json" },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ id: "missing_version" });
  });

  it("says which key to fix when Heroku answers 401, without showing the key", async () => {
    const promise = fetchConfigVar({ ...options(), apiKey: "wrong-key-abcdef" });
    await expect(promise).rejects.toThrow(
      new ConfigError(
        "Heroku rejected the API key from SSM /restyled/test/heroku-api-key (401: Invalid credentials provided.); store a valid key there",
      ),
    );
  });

  it("explains 403 and 404 as configuration to fix", async () => {
    heroku.forbiddenApps.add("locked-app");
    await expect(fetchConfigVar({ ...options(), app: "locked-app" })).rejects.toThrow(
      /may not read the config vars of locked-app \(403: You do not have access/,
    );
    await expect(fetchConfigVar({ ...options(), app: "no-such-app" })).rejects.toThrow(
      new ConfigError(
        "Heroku has no app no-such-app visible to this API key (404: Couldn't find that app.); check --app / HEROKU_APP",
      ),
    );
  });

  it.each([500, 503])("reports %i as a Heroku failure to retry later", async (status) => {
    heroku.injectFailure({ status, body: JSON.stringify({ id: "unavailable", message: "down" }) });
    const error = await fetchConfigVar(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HerokuApiError);
    expect((error as HerokuApiError).status).toBe(status);
    expect((error as Error).message).toBe(
      `the Heroku API failed (${status}: down); try again later`,
    );
  });

  it("reports rate limiting", async () => {
    heroku.injectFailure({
      status: 429,
      body: JSON.stringify({ id: "rate_limit", message: "slow down" }),
    });
    await expect(fetchConfigVar(options())).rejects.toThrow(
      /rate-limiting this key \(429: slow down\)/,
    );
  });

  it("fails clearly when the app has no such config var", async () => {
    await expect(fetchConfigVar({ ...options(), name: "REDIS_TLS_URL" })).rejects.toThrow(
      new ConfigError("Heroku app restyled-io has no config var REDIS_TLS_URL"),
    );
  });

  it("fails clearly on a body that is not a JSON object", async () => {
    heroku.injectFailure({ status: 200, body: "<html>maintenance</html>" });
    await expect(fetchConfigVar(options())).rejects.toThrow(
      /answered config-vars of restyled-io with something other than a JSON object/,
    );
  });

  it.each([
    ["a JSON array", "[]"],
    ["null", "null"],
    ["a string", JSON.stringify("rediss://h:1")],
  ])("fails clearly on a body that is %s", async (_what, body) => {
    heroku.injectFailure({ status: 200, body });
    const error = await fetchConfigVar(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HerokuApiError);
    expect((error as Error).message).toBe(
      "the Heroku API answered config-vars of restyled-io with something other than a JSON object",
    );
  });

  it("refuses a config var that is not a string", () => {
    expect(() => pickConfigVar({ REDIS_URL: 42 }, "REDIS_URL", "restyled-io")).toThrow(
      new HerokuApiError("Heroku config var REDIS_URL of restyled-io is not a string"),
    );
    expect(() => pickConfigVar({ REDIS_URL: null }, "REDIS_URL", "restyled-io")).toThrow(
      new ConfigError("Heroku app restyled-io has no config var REDIS_URL"),
    );
  });

  it("fails clearly when nothing listens", async () => {
    const closed = await startHerokuApi({ token: TOKEN });
    await closed.close();
    await expect(fetchConfigVar({ ...options(), baseUrl: closed.url })).rejects.toThrow(
      /could not reach the Heroku API at http:\/\/127\.0\.0\.1:\d+: fetch failed: .*ECONNREFUSED/,
    );
  });
});
