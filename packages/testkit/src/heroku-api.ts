import type { HttpStandIn } from "./http-stand-in.js";
import { sendJson, startHttpStandIn } from "./http-stand-in.js";

/** Config vars by app name, as `GET /apps/{app}/config-vars` returns them. */
export type HerokuApps = Record<string, Record<string, string>>;

export interface HerokuApiStandIn extends HttpStandIn {
  /** The apps the token can see and their config vars; change them between calls. */
  apps: HerokuApps;
  /** Apps that exist but that the token may not read (403). */
  forbiddenApps: Set<string>;
}

export interface StartHerokuApiOptions {
  /** The only API key accepted (as `Authorization: Bearer <token>`). */
  token: string;
  apps?: HerokuApps;
}

/**
 * A stand-in for the part of the Heroku Platform API that check-redis-url
 * uses, answering like api.heroku.com does: a request without
 * `Accept: application/vnd.heroku+json; version=3` gets 400 `missing_version`,
 * a missing or wrong Bearer token 401 `unauthorized`, an unknown app 404
 * `not_found`. Use `injectFailure` for 5xx and rate limits.
 */
export async function startHerokuApi(options: StartHerokuApiOptions): Promise<HerokuApiStandIn> {
  const apps: HerokuApps = options.apps ?? {};
  const forbiddenApps = new Set<string>();
  const standIn = await startHttpStandIn((request, response) => {
    if (!/^application\/vnd\.heroku\+json;\s*version=3$/.test(String(request.headers.accept))) {
      return sendJson(response, 400, {
        id: "missing_version",
        error:
          "Please specify a version along with Heroku's API MIME type. For example, `Accept: application/vnd.heroku+json; version=3`.\n",
      });
    }
    if (request.headers.authorization !== `Bearer ${options.token}`) {
      return sendJson(response, 401, {
        id: "unauthorized",
        message: "Invalid credentials provided.",
      });
    }
    const path = new URL(request.url, "http://stand-in").pathname;
    const match = /^\/apps\/([^/]+)\/config-vars$/.exec(path);
    if (!match || request.method !== "GET") {
      return sendJson(response, 404, { id: "not_found", message: "Not found." });
    }
    const app = decodeURIComponent(match[1] ?? "");
    if (forbiddenApps.has(app)) {
      return sendJson(response, 403, {
        id: "forbidden",
        message: `You do not have access to the app ${app}.`,
      });
    }
    const vars = apps[app];
    if (!vars) {
      return sendJson(response, 404, {
        id: "not_found",
        message: "Couldn't find that app.",
        resource: "app",
      });
    }
    return sendJson(response, 200, vars);
  });
  return Object.assign(standIn, { apps, forbiddenApps });
}
