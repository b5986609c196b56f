// Transport failures against real loopback servers: a TLS server with a
// self-signed certificate (made with openssl) and a server that never answers.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@restyled/core/logger";
import { afterEach, describe, expect, it } from "vitest";
import { batchLines } from "../src/batch.js";
import { parseIngestUrl } from "../src/config.js";
import { DeliveryError } from "../src/errors.js";
import { sendBatch } from "../src/ingest.js";

const [batch] = batchLines(
  [{ timestamp: 1, line: "INFO hi", app: "a", env: "prod", file: "s" }],
  65536,
);
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function listen(s: Server): Promise<number> {
  server = s;
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return (s.address() as AddressInfo).port;
}

describe("sendBatch over the network", () => {
  it("verifies TLS: a self-signed certificate fails at once, without retrying", async () => {
    const dir = mkdtempSync(join(tmpdir(), "logdna-tls-"));
    try {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=127.0.0.1",
          "-addext",
          "subjectAltName=IP:127.0.0.1",
          "-keyout",
          join(dir, "key.pem"),
          "-out",
          join(dir, "cert.pem"),
        ],
        { stdio: "ignore" },
      );
      let requests = 0;
      const port = await listen(
        createHttpsServer(
          { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
          (_req, res) => {
            requests += 1;
            res.end("{}");
          },
        ),
      );
      const error = await sendBatch(batch!, {
        ingestUrl: parseIngestUrl(`https://127.0.0.1:${port}/logs/ingest`, { allowHttp: false }),
        hostname: "h",
        tags: undefined,
        key: "k",
        deadline: Date.now() + 10_000,
        logger: silentLogger(),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeliveryError);
      expect((error as Error).message).toMatch(
        /could not reach LogDNA: self[- ]signed certificate.*\(not retried\)/,
      );
      expect(requests).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives up on a server that never answers, after its attempts time out", async () => {
    let requests = 0;
    const port = await listen(
      createHttpServer(() => {
        requests += 1; // and never answer
      }),
    );
    const error = await sendBatch(batch!, {
      ingestUrl: parseIngestUrl(`http://127.0.0.1:${port}/logs/ingest`, { allowHttp: true }),
      hostname: "h",
      tags: undefined,
      key: "k",
      deadline: Date.now() + 10_000,
      logger: silentLogger(),
      requestTimeoutMs: 200,
      maxAttempts: 2,
      backoff: { baseMs: 10, capMs: 10, random: () => 0 },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "could not reach LogDNA: no answer within 200 ms after 2 attempts; giving up",
    );
    expect(requests).toBe(2);
  });

  it("hides the key when a server echoes it, bare or as its basic-auth header", async () => {
    const key = "transport-key-5a5a";
    const port = await listen(
      createHttpServer((req, res) => {
        res.statusCode = 400;
        res.end(`bad request from ${req.headers.authorization} (key ${key})`);
      }),
    );
    const error = await sendBatch(batch!, {
      ingestUrl: parseIngestUrl(`http://127.0.0.1:${port}/logs/ingest`, { allowHttp: true }),
      hostname: "h",
      tags: undefined,
      key,
      deadline: Date.now() + 10_000,
      logger: silentLogger(),
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "LogDNA answered 400: bad request from Basic [redacted] (key [redacted]) (not retried)",
    );
  });
});
