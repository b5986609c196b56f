import { describe, expect, it } from "vitest";
import { InvalidRedisUrlError } from "./errors.js";
import { parseRedisUrl } from "./redis-url.js";

const SOURCE = "Heroku config var REDIS_URL of restyled-io";

describe("parseRedisUrl", () => {
  it("takes a Heroku rediss:// URL apart", () => {
    expect(
      parseRedisUrl("rediss://:p%40ss@ec2-1-2-3-4.compute-1.amazonaws.com:25310", SOURCE),
    ).toEqual({
      tls: true,
      host: "ec2-1-2-3-4.compute-1.amazonaws.com",
      port: 25310,
      username: undefined,
      password: "p@ss",
      database: undefined,
      redacted: "rediss://:[redacted]@ec2-1-2-3-4.compute-1.amazonaws.com:25310",
    });
  });

  it("defaults the port, reads a database number and unbrackets IPv6", () => {
    expect(parseRedisUrl("redis://user:pw@[::1]/3", SOURCE)).toMatchObject({
      tls: false,
      host: "::1",
      port: 6379,
      username: "user",
      database: 3,
    });
  });

  it.each([
    ["", "is empty"],
    ["rediss://:s3cr3tpw@host:1 ", "contains whitespace"],
    ["://:s3cr3tpw@host", "is not a valid URL"],
    ["https://:s3cr3tpw@host:1", "must start with redis:// or rediss:// (got https:)"],
    ["redis::s3cr3tpw", "has no host"],
    ["redis://:s3cr3tpw@host:99999", "is not a valid URL"],
    ["redis://:s3cr3tpw@host:1/db", "has a path that is not a database number"],
    ["redis://:s3cr3tpw@host:1#x", "has a #fragment"],
    ["redis://:s3cr3tpw%zz@host:1", "has badly percent-encoded credentials"],
  ])("rejects %j with a message that names the source and hides the password", (raw, problem) => {
    let caught: unknown;
    try {
      parseRedisUrl(raw, SOURCE);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidRedisUrlError);
    expect((caught as Error).message).toBe(`${SOURCE} ${problem}`);
    expect((caught as Error).message).not.toContain("s3cr3tpw");
  });
});
