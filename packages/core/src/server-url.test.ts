import { describe, expect, it } from "vitest";
import { describeUrlChange, parseServerUrl, type ServerUrlRules } from "./server-url.js";

class BadUrlError extends Error {
  override name = "BadUrlError";
}

const RULES: ServerUrlRules = {
  schemes: ["redis", "rediss"],
  defaultPort: 6379,
  fail: (problem) => new BadUrlError(`REDIS_URL ${problem}`),
};

function rejection(raw: string, rules: ServerUrlRules = RULES): Error {
  try {
    parseServerUrl(raw, rules);
  } catch (error) {
    expect(error).toBeInstanceOf(BadUrlError);
    return error as Error;
  }
  throw new Error(`${raw} was accepted`);
}

describe("parseServerUrl", () => {
  it("takes the URL apart, decoding the credentials and redacting them for logs", () => {
    const parsed = parseServerUrl("rediss://u%2B1:p%40ss@cache.example.com:25310/2", RULES);
    expect(parsed).toMatchObject({
      host: "cache.example.com",
      port: 25310,
      username: "u+1",
      password: "p@ss",
      redacted: "rediss://[redacted]:[redacted]@cache.example.com:25310/2",
    });
    expect(parsed.url.pathname).toBe("/2");
  });

  it("defaults the port, unbrackets IPv6 and leaves absent credentials undefined", () => {
    expect(parseServerUrl("redis://[::1]", RULES)).toMatchObject({
      host: "::1",
      port: 6379,
      username: undefined,
      password: undefined,
    });
  });

  it("names every scheme it accepts when refusing another", () => {
    const rules = { ...RULES, schemes: ["postgres", "postgresql"], defaultPort: 5432 };
    expect(rejection("mysql://u:s3cr3tpw@h/db", rules).message).toBe(
      "REDIS_URL must start with postgres:// or postgresql:// (got mysql:)",
    );
  });

  it.each([
    ["", "is empty"],
    ["redis://:s3cr3tpw@host\n", "contains whitespace"],
    ["://:s3cr3tpw@host", "is not a valid URL"],
    ["redis://:s3cr3tpw@host:99999", "is not a valid URL"],
    ["https://:s3cr3tpw@host", "must start with redis:// or rediss:// (got https:)"],
    ["redis::s3cr3tpw", "has no host"],
    ["redis://:s3cr3tpw@host#x", "has a #fragment"],
    ["redis://:s3cr3tpw%zz@host", "has badly percent-encoded credentials"],
    ["redis://s3cr3tpw%zz:x@host", "has badly percent-encoded credentials"],
  ])("refuses %j through the tool's error, never repeating the secret", (raw, problem) => {
    const error = rejection(raw);
    expect(error.message).toBe(`REDIS_URL ${problem}`);
    expect(error.message).not.toContain("s3cr3tpw");
  });

  it("reports a bad escape in the tool's words", () => {
    const rules = { ...RULES, badEncoding: "has badly percent-encoded credentials or database" };
    expect(rejection("redis://:s3cr3tpw%zz@host", rules).message).toBe(
      "REDIS_URL has badly percent-encoded credentials or database",
    );
  });
});

describe("describeUrlChange", () => {
  it("names the parts that differ and nothing of their values", () => {
    expect(describeUrlChange("rediss://:a@h1:1", "rediss://:b@h2:1")).toEqual(["host", "password"]);
    expect(describeUrlChange("redis://:a@h:1", "rediss://:a@h:2")).toEqual(["scheme", "port"]);
    expect(describeUrlChange("postgres://u:p@h/a", "postgres://u:p@h/b?sslmode=disable")).toEqual([
      "database",
      "query",
    ]);
  });

  it("says only that a URL does not parse", () => {
    expect(describeUrlChange("redis://:s3cr3tpw@h", "not a url s3cr3tpw")).toEqual(["unparseable"]);
  });
});
