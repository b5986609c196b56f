import { silentLogger } from "@restyled/core/logger";
import {
  findFreePort,
  type RedisServer,
  startRedis,
  startSilentEndpoint,
  startTlsRedis,
  type TlsRedis,
} from "@restyled/testkit";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { RedisUnreachableError } from "../src/errors.js";
import { type PingOptions, pingRedis as pingTarget } from "../src/redis-ping.js";
import { parseRedisUrl } from "../src/redis-url.js";
import { rejectionOf } from "./rejection.js";

// Everything here is a real redis-server (plain, password-protected, TLS)
// or a real socket; nothing is mocked.
const PASSWORD = "ping-test-password-5e7a";
let secured: RedisServer;
let tls: TlsRedis;

beforeAll(async () => {
  [secured, tls] = await Promise.all([startRedis({ password: PASSWORD }), startTlsRedis(PASSWORD)]);
});
afterAll(async () => {
  await Promise.all([secured?.stop(), tls?.stop()]);
});

// A hang guard, not a budget: a TLS handshake on a loaded 2-core machine can take seconds.
const options = { timeoutMs: 60_000, tlsVerify: true, logger: silentLogger() };
/** The URL as a run proves it: validated first, then PINGed. */
const pingRedis = (url: string, opts: PingOptions) =>
  pingTarget(url, parseRedisUrl(url, "the test URL"), opts);

const failure = (promise: Promise<unknown>) => rejectionOf(promise, RedisUnreachableError);

describe("pingRedis", () => {
  it("succeeds against the shared server without a password", async () => {
    await expect(pingRedis(inject("redisUrl"), options)).resolves.toBeUndefined();
  });

  it("succeeds with the right password and a database number", async () => {
    await expect(pingRedis(`${secured.url}/2`, options)).resolves.toBeUndefined();
  });

  it("fails on a wrong password, naming the redacted URL and hiding both passwords", async () => {
    const wrong = secured.url.replace(encodeURIComponent(PASSWORD), "not-the-password-91c3");
    const error = await failure(pingRedis(wrong, options));
    expect(error.message).toMatch(
      /^redis:\/\/:\[redacted\]@127\.0\.0\.1:\d+ did not answer PING: the server rejected the credentials \(WRONGPASS/,
    );
    expect(error.message).not.toContain("not-the-password-91c3");
    expect(error.message).not.toContain(PASSWORD);
  });

  it("fails when no password is given to a server that wants one", async () => {
    const error = await failure(pingRedis(`redis://127.0.0.1:${secured.port}`, options));
    expect(error.message).toMatch(/NOAUTH/);
  });

  it("fails fast on a closed port", async () => {
    const port = await findFreePort();
    const error = await failure(pingRedis(`redis://:pw-closed@127.0.0.1:${port}`, options));
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it("gives up after the timeout when the server never answers", async () => {
    const silent = await startSilentEndpoint();
    const { port } = silent;
    try {
      const started = Date.now();
      const error = await failure(
        pingRedis(`redis://127.0.0.1:${port}`, { ...options, timeoutMs: 300 }),
      );
      expect(error.message).toMatch(/within 300 ?ms|timeout/i);
      // A hang guard: without the timeout the ping would wait forever.
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await silent.close();
    }
  });

  describe("over TLS (rediss://)", () => {
    it("refuses a self-signed certificate by default, with a hint", async () => {
      const error = await failure(pingRedis(tls.url, options));
      expect(error.message).toMatch(
        /^rediss:\/\/:\[redacted\]@127\.0\.0\.1:\d+ did not answer PING: /,
      );
      expect(error.message).toMatch(/self-signed|self signed|unable to verify|certificate/i);
      expect(error.message).toContain("--insecure-skip-tls-verify");
      expect(error.message).not.toContain(PASSWORD);
    });

    it("succeeds when given the CA that signed the certificate", async () => {
      await expect(pingRedis(tls.url, { ...options, caFile: tls.caFile })).resolves.toBeUndefined();
    });

    it("succeeds without verification when verification is explicitly off", async () => {
      await expect(pingRedis(tls.url, { ...options, tlsVerify: false })).resolves.toBeUndefined();
    });

    it("still checks the password over TLS", async () => {
      const wrong = tls.url.replace(encodeURIComponent(PASSWORD), "wrong-tls-password");
      const error = await failure(pingRedis(wrong, { ...options, tlsVerify: false }));
      expect(error.message).toMatch(/rejected the credentials/);
    });

    it("refuses a plain server behind a rediss:// URL", async () => {
      const plain = `rediss://:${PASSWORD}@127.0.0.1:${secured.port}`;
      await failure(pingRedis(plain, { ...options, tlsVerify: false, timeoutMs: 1_000 }));
    });
  });
});
