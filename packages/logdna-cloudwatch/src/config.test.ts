import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_REQUEST_BYTES } from "./batch.js";
import { DEFAULT_INGEST_URL, readForwarderConfig } from "./config.js";
import { ConfigError } from "./errors.js";

describe("readForwarderConfig", () => {
  it("has sane defaults with only RESTYLED_ENV set", () => {
    const config = readForwarderConfig({ RESTYLED_ENV: "prod" });
    expect(config).toEqual({
      env: "prod",
      key: undefined,
      ingestUrl: new URL(DEFAULT_INGEST_URL),
      hostname: "restyled-prod",
      tags: undefined,
      maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
    });
  });

  it("reads the key, hostname, tags, URL and request size", () => {
    const config = readForwarderConfig({
      RESTYLED_ENV: "staging",
      LOGDNA_KEY: " k3y ",
      LOGDNA_HOSTNAME: "restyled-logs",
      LOGDNA_TAGS: " restyled, staging ,,",
      LOGDNA_INGEST_URL: "https://logs.example.test/logs/ingest",
      LOGDNA_MAX_REQUEST_BYTES: "1000000",
    });
    expect(config).toMatchObject({
      key: "k3y",
      hostname: "restyled-logs",
      tags: "restyled,staging",
      maxRequestBytes: 1_000_000,
    });
    expect(config.ingestUrl.href).toBe("https://logs.example.test/logs/ingest");
  });

  it.each([
    [{}, /RESTYLED_ENV is required/],
    [{ RESTYLED_ENV: "prod/../x" }, /RESTYLED_ENV: "prod\/..\/x" is not an environment name/],
    [
      { RESTYLED_ENV: "prod", LOGDNA_INGEST_URL: "not a url" },
      /LOGDNA_INGEST_URL: "not a url" is not a URL/,
    ],
    [{ RESTYLED_ENV: "prod", LOGDNA_INGEST_URL: "ftp://x/logs" }, /must be an https URL/],
    [
      { RESTYLED_ENV: "prod", LOGDNA_MAX_REQUEST_BYTES: "10MB" },
      /LOGDNA_MAX_REQUEST_BYTES must be a whole number/,
    ],
    [{ RESTYLED_ENV: "prod", LOGDNA_MAX_REQUEST_BYTES: "20000000" }, /from 65536 to 10000000/],
    [{ RESTYLED_ENV: "prod", LOGDNA_HOSTNAME: "has space" }, /LOGDNA_HOSTNAME must be/],
  ])("refuses %j naming the variable", (env, message) => {
    expect(() => readForwarderConfig(env)).toThrow(ConfigError);
    expect(() => readForwarderConfig(env)).toThrow(message);
  });

  it("refuses a bad LOGDNA_ALLOW_HTTP, and plain http to anywhere but loopback even when allowed", () => {
    const env = { RESTYLED_ENV: "prod", LOGDNA_INGEST_URL: "http://127.0.0.1:9/logs/ingest" };
    expect(() => readForwarderConfig({ ...env, LOGDNA_ALLOW_HTTP: "maybe" })).toThrow(
      /^LOGDNA_ALLOW_HTTP: "maybe" is not a boolean/,
    );
    const remote = { ...env, LOGDNA_INGEST_URL: "http://logs.example.test/logs/ingest" };
    expect(() => readForwarderConfig({ ...remote, LOGDNA_ALLOW_HTTP: "true" })).toThrow(
      /^LOGDNA_INGEST_URL: "http:\/\/logs.example.test\/logs\/ingest" is plain http/,
    );
  });

  it("refuses plain http unless explicitly allowed", () => {
    const env = { RESTYLED_ENV: "prod", LOGDNA_INGEST_URL: "http://127.0.0.1:9/logs/ingest" };
    expect(() => readForwarderConfig(env)).toThrow(
      /plain http, which would send the key unencrypted/,
    );
    expect(readForwarderConfig({ ...env, LOGDNA_ALLOW_HTTP: "true" }).ingestUrl.protocol).toBe(
      "http:",
    );
  });

  it("refuses credentials in the URL without repeating them", () => {
    const env = { RESTYLED_ENV: "prod", LOGDNA_INGEST_URL: "https://secretkey@logs.example.test/" };
    expect(() => readForwarderConfig(env)).toThrow(/must not contain credentials/);
    try {
      readForwarderConfig(env);
    } catch (error) {
      expect((error as Error).message).not.toContain("secretkey");
    }
  });
});
