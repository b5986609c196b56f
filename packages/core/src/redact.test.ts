import { describe, expect, it } from "vitest";
import { isSecretKey, redactSecrets, redactText, redactUrl, redactValue } from "./redact.js";

const PEM = [
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEowIBAAKCAQEAsecretsecretsecret",
  "-----END RSA PRIVATE KEY-----",
].join("\n");

describe("redaction by key", () => {
  it.each([
    "token",
    "restyledToken",
    "RESTYLED_API_TOKEN",
    "password",
    "redisPassword",
    "secret",
    "secretAccessKey",
    "authorization",
    "Authorization",
    "apiKey",
    "api_key",
    "key",
    "privateKey",
    "private_key",
    "credentials",
  ])("hides %s", (key) => {
    expect(isSecretKey(key)).toBe(true);
    expect(redactValue({ [key]: "s3cr3t-value" })).toEqual({ [key]: "[redacted]" });
  });

  it.each(["keySize", "cacheKey", "tokenCount", "name", "host", "monkey"])("keeps %s", (key) => {
    expect(isSecretKey(key)).toBe(false);
    expect(redactValue({ [key]: "visible" })).toEqual({ [key]: "visible" });
  });

  it("hides secret keys at any depth and in arrays", () => {
    expect(redactValue({ a: { b: [{ token: "t0k3n-123" }] } })).toEqual({
      a: { b: [{ token: "[redacted]" }] },
    });
  });
});

describe("redaction by value", () => {
  it("hides URL passwords and keeps the rest of the URL", () => {
    expect(redactText("connect to redis://h:p4ssw0rd@example.com:6379 failed")).toBe(
      "connect to redis://h:[redacted]@example.com:6379 failed",
    );
  });

  it("also hides the percent-decoded form of a URL password", () => {
    const text = "url rediss://u:p%40ss%2Fword@host:1 said WRONGPASS for p@ss/word";
    const out = redactText(text);
    expect(out).not.toContain("p%40ss%2Fword");
    expect(out).not.toContain("p@ss/word");
    expect(out).toContain("rediss://u:[redacted]@host:1");
  });

  it("hides PEM private keys but not certificates", () => {
    const cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    const out = redactText(`key ${PEM} cert ${cert}`);
    expect(out).not.toContain("secretsecret");
    expect(out).toContain("-----BEGIN RSA PRIVATE KEY----- [redacted]");
    expect(out).toContain(cert);
  });

  it("hides a PEM key cut off before its END line", () => {
    expect(redactText("-----BEGIN PRIVATE KEY-----\nMIIEv")).not.toContain("MIIEv");
  });

  it("hides bearer and token credentials but keeps plain words", () => {
    expect(redactText("Authorization: token abcd1234efgh")).not.toContain("abcd1234efgh");
    expect(redactText("sent Bearer eyJhbGciOiJIUzI1NiJ9.x.y")).toBe("sent Bearer [redacted]");
    expect(redactText("the token rejected us")).toBe("the token rejected us");
    expect(redactText("the API token may be wrong")).toBe("the API token may be wrong");
  });

  it("redacts strings inside objects and errors with their causes", () => {
    const cause = new Error("AUTH failed for redis://x:hunter22@h");
    const error = new Error("could not connect", { cause });
    expect(redactValue({ error })).toEqual({
      error: {
        name: "Error",
        message: "could not connect",
        cause: { name: "Error", message: "AUTH failed for redis://x:[redacted]@h" },
      },
    });
  });

  it("survives cycles and shows buffers by size", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(redactValue(a)).toEqual({ name: "a", self: "[circular]" });
    expect(redactValue({ body: Buffer.from("abc") })).toEqual({ body: "[3 bytes]" });
  });
});

describe("redactUrl", () => {
  it("masks user name and password", () => {
    expect(redactUrl("rediss://h:secret@example.com:6380/0")).toBe(
      "rediss://[redacted]:[redacted]@example.com:6380/0",
    );
  });

  it("never echoes an unparseable URL", () => {
    expect(redactUrl("not a url with secret")).toBe("(unparseable URL)");
  });
});

describe("redactSecrets", () => {
  it("hides given values and their decoded forms, longest first", () => {
    expect(redactSecrets("key abcd and abcdef and a%2Fb-x", ["abcd", "abcdef", "a%2Fb-x"])).toBe(
      "key [redacted] and [redacted] and [redacted]",
    );
    expect(redactSecrets("p/w-1 leaked", ["p%2Fw-1"])).toBe("[redacted] leaked");
  });
});
