// Real: a TLS redis-server from the testkit, its certificate issued by a
// throwaway CA the way Heroku's are self-signed.

import { createLogger, silentLogger } from "@restyled/core/logger";
import { startTlsRedis, type TlsRedis } from "@restyled/testkit";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DependencyError } from "../src/errors.js";
import { readQueueDepths } from "../src/queue-depth.js";

let server: TlsRedis;
let tlsUrl: string;

beforeAll(async () => {
  server = await startTlsRedis("heroku-like-pass");
  tlsUrl = server.url;
  const plain = createClient({ url: server.plainUrl });
  await plain.connect();
  await plain.lPush("restyled:hooks:webhooks", ["a", "b"]);
  await plain.close();
});
afterAll(async () => {
  await server?.stop();
});

describe("readQueueDepths over rediss://", () => {
  it("refuses a self-signed certificate by default, without leaking the password", async () => {
    const error = await readQueueDepths({
      redisUrl: tlsUrl,
      queues: [{ name: "restyled:hooks:webhooks", weight: 1 }],
      logger: silentLogger(),
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
      logger: createLogger({
        name: "test",
        level: "info",
        stream: { write: (line: string) => lines.push(line.trimEnd()) > 0 },
      }),
    });
    expect(depths).toEqual([{ name: "restyled:hooks:webhooks", depth: 2 }]);
    const warning = JSON.parse(lines[0]!);
    expect(warning).toMatchObject({
      level: "warn",
      msg: "not verifying the Redis server's TLS certificate (insecure opt-out)",
    });
    expect(lines.join("\n")).not.toContain("heroku-like-pass");
  });
});
