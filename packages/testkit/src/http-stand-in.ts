import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as a stand-in received it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingMessage["headers"];
  /** The raw body bytes (bodies may be gzipped). */
  body: Buffer;
  at: number;
}

/** Makes the next `times` requests matching `method` and `path` answer `status`. */
export interface InjectedFailure {
  method?: string;
  path?: RegExp;
  status: number;
  times?: number;
  body?: string;
  headers?: Record<string, string>;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => Promise<void> | void;

export interface HttpStandIn {
  url: string;
  requests: RecordedRequest[];
  injectFailure(failure: InjectedFailure): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that records every request and can be told to fail,
 * the shared base of the third-party service stand-ins.
 */
export async function startHttpStandIn(handle: Handler): Promise<HttpStandIn> {
  const requests: RecordedRequest[] = [];
  const failures: Array<InjectedFailure & { times: number }> = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers: req.headers,
      body: Buffer.concat(chunks),
      at: Date.now(),
    };
    requests.push(request);
    const failure = failures.find(
      (f) =>
        f.times > 0 &&
        (!f.method || f.method === request.method) &&
        (!f.path || f.path.test(request.url)),
    );
    if (failure) {
      failure.times -= 1;
      res.writeHead(failure.status, { "content-type": "application/json", ...failure.headers });
      res.end(failure.body ?? JSON.stringify({ error: `injected ${failure.status}` }));
      return;
    }
    try {
      await handle(request, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: String(error) }));
    }
  });
  // Keep idle connections longer than any client does, so a client never
  // reuses a socket at the moment the stand-in closes it (Node's 5 s default
  // races clients on a loaded machine: "read ECONNRESET" on a healthy server).
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    injectFailure(failure) {
      failures.push({ ...failure, times: failure.times ?? 1 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}
