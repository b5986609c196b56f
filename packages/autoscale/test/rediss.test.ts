// Real: a TLS redis-server (testkit's startRedis with TLS arguments) and a
// self-signed certificate made with the openssl CLI, like Heroku's.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { findFreePort, type RedisServer, startRedis } from "@restyled/testkit";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DependencyError } from "../src/errors.js";
import { createLogger, silentLogger } from "../src/logger.js";
import { readQueueDepths } from "../src/queue-depth.js";

const run = promisify(execFile);
let dir: string;
let server: RedisServer;
let tlsUrl: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autoscale-rediss-"));
  const [cert, key] = [join(dir, "cert.pem"), join(dir, "key.pem")];
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-keyout",
    key,
    "-out",
    cert,
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
  ]);
  const tlsPort = await findFreePort();
  server = await startRedis({
    password: "heroku-like-pass",
    extraArgs: [
      "--tls-port",
      String(tlsPort),
      "--tls-cert-file",
      cert,
      "--tls-key-file",
      key,
      "--tls-auth-clients",
      "no",
    ],
  });
  tlsUrl = `rediss://:heroku-like-pass@127.0.0.1:${tlsPort}`;
  const plain = createClient({ url: server.url });
  await plain.connect();
  await plain.lPush("restyled:hooks:webhooks", ["a", "b"]);
  await plain.close();
});
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("readQueueDepths over rediss://", () => {
  it("refuses a self-signed certificate by default, without leaking the password", async () => {
    const error = await readQueueDepths({
      redisUrl: tlsUrl,
      queues: [{ name: "restyled:hooks:webhooks", weight: 1 }],
      logger: silentLogger,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(String(error)).toMatch(/self[- ]signed certificate/);
    expect(String(error)).not.toContain("heroku-like-pass");
  });

  it("reads the depth with the explicit opt-out, and logs that it did not verify", async () => {
    const lines: string[] = [];
    const depths = await readQueueDepths({
      redisUrl: tlsUrl,
      insecureTls: true,
      queues: [{ name: "restyled:hooks:webhooks", weight: 1 }],
      logger: createLogger({ level: "info", write: (line) => lines.push(line) }),
    });
    expect(depths).toEqual([{ name: "restyled:hooks:webhooks", depth: 2 }]);
    const warning = JSON.parse(lines[0]!);
    expect(warning).toMatchObject({
      level: "warn",
      msg: "not verifying the Redis server's TLS certificate",
    });
    expect(lines.join("\n")).not.toContain("heroku-like-pass");
  });
});
