// One HTTP(S) request with a whole-request timeout and an abort signal.
// node:http rather than fetch: fetch loads undici on first use, several MB of
// resident memory that an idle daemon does not need. TLS is verified (Node's
// defaults).
import { type Agent, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface HttpAnswer {
  status: number;
  text: string;
}

export interface HttpRequestOptions {
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * The connection pool to send through; an `https.Agent` also carries TLS
   * options (a private CA, a client certificate). Default: Node's global agent.
   */
  agent?: Agent;
}

/** Sends one request; rejects on a network error, the timeout or the signal. */
export function sendHttpRequest(url: URL, options: HttpRequestOptions): Promise<HttpAnswer> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const headers = { ...options.headers };
    if (options.body !== undefined) {
      headers["Content-Length"] = String(Buffer.byteLength(options.body));
    }
    const req = send(
      url,
      { method: options.method, headers, signal: options.signal, agent: options.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", fail);
      },
    );
    const timer = setTimeout(() => {
      const error = new Error(`no answer within ${options.timeoutMs} ms`);
      error.name = "TimeoutError";
      req.destroy(error);
    }, options.timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    req.on("error", fail);
    req.end(options.body);
  });
}
