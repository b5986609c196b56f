import { type HttpAnswer, sendHttpRequest } from "@restyled/core/http-request";
import { MetadataError } from "../errors.js";
import { retry } from "./retry.js";

/** The IMDSv2 endpoint; the AWS SDKs' variable moves it (tests, IPv6). */
export const DEFAULT_IMDS_ENDPOINT = "http://169.254.169.254";

export interface InstanceMetadataOptions {
  endpoint?: string;
  timeoutMs?: number;
  attempts?: number;
  retryDelayMs?: number;
}

/** A small IMDSv2 client: a session token first, then plain GETs carrying it. */
export class InstanceMetadata {
  readonly #endpoint: string;
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #retryDelayMs: number;
  #token: string | undefined;

  constructor(options: InstanceMetadataOptions = {}) {
    this.#endpoint = (options.endpoint ?? DEFAULT_IMDS_ENDPOINT).replace(/\/+$/, "");
    this.#timeoutMs = options.timeoutMs ?? 2_000;
    this.#attempts = options.attempts ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 200;
  }

  /** Reads `meta-data/{path}`; undefined when the instance has no such item (404). */
  async get(path: string): Promise<string | undefined> {
    return retry(() => this.#get(path), {
      attempts: this.#attempts,
      delayMs: this.#retryDelayMs,
      retryable: (error) =>
        !(error instanceof MetadataError && /answered 40[03]/.test(error.message)),
    });
  }

  async #get(path: string): Promise<string | undefined> {
    const token = await this.#sessionToken();
    const response = await this.#send(`/latest/meta-data/${path}`, {
      headers: { "X-aws-ec2-metadata-token": token },
    });
    if (response.status === 404) return undefined;
    if (response.status === 401) this.#token = undefined; // expired session: retry gets a new one
    if (response.status !== 200) {
      throw new MetadataError(`instance metadata ${path} answered ${response.status}`);
    }
    return response.text.trim();
  }

  async #sessionToken(): Promise<string> {
    if (this.#token) return this.#token;
    const response = await this.#send("/latest/api/token", {
      method: "PUT",
      headers: { "X-aws-ec2-metadata-token-ttl-seconds": "21600" },
    });
    if (response.status !== 200) {
      throw new MetadataError(`instance metadata token request answered ${response.status}`);
    }
    this.#token = response.text.trim();
    return this.#token;
  }

  async #send(
    path: string,
    init: { method?: string; headers: Record<string, string> },
  ): Promise<HttpAnswer> {
    try {
      return await sendHttpRequest(new URL(`${this.#endpoint}${path}`), {
        method: init.method ?? "GET",
        headers: init.headers,
        timeoutMs: this.#timeoutMs,
      });
    } catch (error) {
      throw new MetadataError(
        `instance metadata service at ${this.#endpoint} did not answer (not on EC2? pass the value as a flag)`,
        { cause: error },
      );
    }
  }
}
