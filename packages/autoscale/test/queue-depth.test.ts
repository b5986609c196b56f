// Real redis-server from the testkit; nothing here is a stand-in.
import { randomUUID } from "node:crypto";
import { createServer, type Socket } from "node:net";
import { silentLogger } from "@restyled/core/logger";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DependencyError } from "../src/errors.js";
import { readQueueDepths } from "../src/queue-depth.js";

const redisUrl = inject("redisUrl");
const client = createClient({ url: redisUrl });

beforeAll(async () => {
  await client.connect();
});
afterAll(async () => {
  await client.close();
});

describe("readQueueDepths", () => {
  it("sums nothing itself but reports LLEN of every queue, missing ones as 0", async () => {
    const prefix = `test:${randomUUID()}`;
    await client.lPush(`${prefix}:a`, ["1", "2", "3"]);
    await client.lPush(`${prefix}:b`, ["x"]);
    const depths = await readQueueDepths({
      redisUrl,
      queues: [
        { name: `${prefix}:a`, weight: 2 },
        { name: `${prefix}:b`, weight: 1 },
        { name: `${prefix}:missing`, weight: 1 },
      ],
      logger: silentLogger(),
    });
    expect(depths).toEqual([
      { name: `${prefix}:a`, depth: 3 },
      { name: `${prefix}:b`, depth: 1 },
      { name: `${prefix}:missing`, depth: 0 },
    ]);
    // Reading is not consuming: the jobs are still queued.
    expect(await client.lLen(`${prefix}:a`)).toBe(3);
  });

  it("fails fast with a redacted URL when Redis is unreachable", async () => {
    const started = Date.now();
    const error = await readQueueDepths({
      redisUrl: "redis://:s3cret-pass@127.0.0.1:1",
      queues: [{ name: "q", weight: 1 }],
      timeoutMs: 2_000,
      logger: silentLogger(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect(String(error)).toMatch(
      /could not read queue depth: .*redis:\/\/\[redacted\]:\[redacted\]@127\.0\.0\.1:1/,
    );
    expect(String(error)).not.toContain("s3cret-pass");
    // A hang guard: reconnecting forever would run into the test's timeout.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("fails within its timeout when a server accepts the connection but never answers", async () => {
    // A stand-in for a stuck Redis: a loopback TCP server that reads and never replies.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      const started = Date.now();
      const error = await Promise.race([
        readQueueDepths({
          redisUrl: `redis://:s3cret-pass@127.0.0.1:${port}`,
          queues: [{ name: "q", weight: 1 }],
          timeoutMs: 1_000,
          logger: silentLogger(),
        }).catch((e: unknown) => e),
        new Promise((resolve) => setTimeout(() => resolve("still waiting after 45s"), 45_000)),
      ]);
      expect(error).toBeInstanceOf(DependencyError);
      expect(String(error)).toMatch(/did not answer: no answer within 1000 ms/);
      expect(String(error)).not.toContain("s3cret-pass");
      expect(Date.now() - started).toBeLessThan(45_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("rejects a URL that is not redis:// or rediss://", async () => {
    await expect(
      readQueueDepths({
        redisUrl: "http://127.0.0.1:6379",
        queues: [{ name: "q", weight: 1 }],
        logger: silentLogger(),
      }),
    ).rejects.toThrowError(/must start with redis:\/\/ or rediss:\/\/ \(got http:\)/);
  });

  it("fails when the key is not a list, naming Redis's answer", async () => {
    const key = `test:${randomUUID()}:string`;
    await client.set(key, "not a list");
    await expect(
      readQueueDepths({ redisUrl, queues: [{ name: key, weight: 1 }], logger: silentLogger() }),
    ).rejects.toThrowError(/WRONGTYPE/);
    expect(await client.get(key)).toBe("not a list");
  });
});
