// The few Docker Engine API calls the agent makes, over mutual TLS with
// node:https. dockerode would do, but loading it (docker-modem, ssh2, gRPC,
// protobufjs) costs ~30 MB of resident memory on an idle machine.
// Endpoints: https://docs.docker.com/reference/api/engine/ (unversioned
// paths: the daemon's own API version, as dockerode sent them).
import type { IncomingMessage } from "node:http";
import { Agent, request } from "node:https";
import type { Readable } from "node:stream";
import { sendHttpRequest } from "@restyled/core/http-request";
import { DockerApiError } from "../errors.js";
import type { ClientCertificates } from "./client.js";

/** Engine API filters, `{"label": ["restyler"]}`: sent JSON-encoded in the query. */
export type EngineFilters = Record<string, string[]>;

/** The fields of `GET /containers/json` the agent reads. */
export interface ContainerSummary {
  Id: string;
  Labels?: Record<string, string> | null;
  State?: string;
  /** Seconds since the epoch. */
  Created: number;
}

/** `POST /containers/prune`'s answer; lists are `null` when nothing was deleted. */
export interface ContainerPruneAnswer {
  ContainersDeleted?: string[] | null;
  SpaceReclaimed?: number;
}

/** `POST /images/prune`'s answer. */
export interface ImagePruneAnswer {
  ImagesDeleted?: { Untagged?: string; Deleted?: string }[] | null;
  SpaceReclaimed?: number;
}

export interface DockerEngineOptions {
  /** `https://host:port` */
  baseUrl: URL;
  certificates: ClientCertificates;
  /** Whole-request deadline of every call but the event stream's body. */
  timeoutMs: number;
}

/** A Docker Engine API client over mutual TLS: the daemon's certificate is verified against `ca.pem`. */
export class DockerEngineClient {
  readonly #baseUrl: URL;
  readonly #timeoutMs: number;
  readonly #agent: Agent;
  #closed = false;

  constructor(options: DockerEngineOptions) {
    this.#baseUrl = options.baseUrl;
    this.#timeoutMs = options.timeoutMs;
    // Node sends the host as TLS server name (SNI) unless it is an IP address,
    // and checks the certificate names the host either way.
    this.#agent = new Agent({
      keepAlive: true,
      ca: options.certificates.ca,
      cert: options.certificates.cert,
      key: options.certificates.key,
      rejectUnauthorized: true,
    });
  }

  /** `GET /_ping`: resolves when the daemon answers `OK`. */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.#call("GET", "/_ping", {}, signal);
  }

  /** `GET /containers/json`, stopped containers too with `all`. */
  async listContainers(options: { all?: boolean; filters?: EngineFilters; signal?: AbortSignal }) {
    const query = { all: options.all ? "1" : undefined, filters: encodeFilters(options.filters) };
    return JSON.parse(
      await this.#call("GET", "/containers/json", query, options.signal),
    ) as ContainerSummary[];
  }

  /** `POST /containers/prune`: removes stopped containers. */
  async pruneContainers(options: { filters?: EngineFilters; signal?: AbortSignal } = {}) {
    const query = { filters: encodeFilters(options.filters) };
    return JSON.parse(
      await this.#call("POST", "/containers/prune", query, options.signal),
    ) as ContainerPruneAnswer;
  }

  /** `POST /images/prune`: removes unused images (`dangling: ["false"]`: tagged ones too). */
  async pruneImages(options: { filters?: EngineFilters; signal?: AbortSignal } = {}) {
    const query = { filters: encodeFilters(options.filters) };
    return JSON.parse(
      await this.#call("POST", "/images/prune", query, options.signal),
    ) as ImagePruneAnswer;
  }

  /**
   * `GET /events`: resolves with the open JSON-lines stream once the daemon
   * answers 200. Only the wait for that answer has the deadline: the stream
   * itself stays open, quiet or not, until destroyed, `signal` or close().
   */
  getEvents(options: { filters?: EngineFilters; signal?: AbortSignal } = {}): Promise<Readable> {
    const url = this.#url("/events", { filters: encodeFilters(options.filters) });
    if (this.#closed) return Promise.reject(closedError());
    return openStream(url, {
      agent: this.#agent,
      timeoutMs: this.#timeoutMs,
      signal: options.signal,
    });
  }

  /** Closes every connection, aborting what is in flight (the event stream too); later calls fail. */
  close(): void {
    this.#closed = true;
    this.#agent.destroy();
  }

  async #call(
    method: string,
    path: string,
    query: Record<string, string | undefined>,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    if (this.#closed) throw closedError();
    const answer = await sendHttpRequest(this.#url(path, query), {
      method,
      headers: { Accept: "application/json" },
      timeoutMs: this.#timeoutMs,
      signal,
      agent: this.#agent,
    });
    if (answer.status < 200 || answer.status > 299) {
      throw daemonError(method, path, answer.status, answer.text);
    }
    return answer.text;
  }

  #url(path: string, query: Record<string, string | undefined>): URL {
    const url = new URL(path, this.#baseUrl);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    return url;
  }
}

function closedError(): Error {
  return new Error("the Docker client is closed");
}

/**
 * Filters go as one JSON-encoded map[string][]string in the query,
 * `filters={"label":["restyler"]}` (docs.docker.com/reference/api/engine/,
 * ContainerList: "filters … encoded as JSON (a map[string][]string)").
 */
function encodeFilters(filters: EngineFilters | undefined): string | undefined {
  return filters && Object.keys(filters).length > 0 ? JSON.stringify(filters) : undefined;
}

/**
 * The daemon's errors are `{"message": "…"}` (the Engine API's ErrorResponse
 * schema); anything else (a proxy's page) is quoted, shortened.
 */
function daemonError(method: string, path: string, status: number, body: string): DockerApiError {
  let message: string | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === "string") message = parsed.message;
  } catch {
    // not JSON: a proxy's page, or empty
  }
  message ??= body.trim().slice(0, 200) || "no message";
  return new DockerApiError(
    `the Docker daemon answered ${status} to ${method} ${path}: ${message}`,
    { status },
  );
}

/**
 * Sends a GET and hands over the response as soon as its headers arrive: the
 * event stream never ends on its own, so core's `sendHttpRequest` (which
 * reads the whole body under one deadline) cannot serve it.
 */
function openStream(
  url: URL,
  options: { agent: Agent; timeoutMs: number; signal?: AbortSignal },
): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    const req = request(url, { method: "GET", agent: options.agent, signal: options.signal });
    const timer = setTimeout(() => {
      const error = new Error(`no answer within ${options.timeoutMs} ms`);
      error.name = "TimeoutError";
      req.destroy(error);
    }, options.timeoutMs);
    req.on("response", (res: IncomingMessage) => {
      clearTimeout(timer);
      if (res.statusCode === 200) {
        resolve(res);
        return;
      }
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        reject(daemonError("GET", url.pathname, res.statusCode ?? 0, body));
      });
      res.on("error", reject);
    });
    // After the response, errors reach the stream too; a second reject is a no-op.
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}
