import { describe, expect, it } from "vitest";
import { InvalidPostgresUrlError } from "./errors.js";
import { parsePostgresUrl } from "./postgres-url.js";

const SOURCE = "Heroku config var DATABASE_URL of restyled-io";

describe("parsePostgresUrl", () => {
  it("takes a Heroku DATABASE_URL apart, with TLS on by default", () => {
    expect(
      parsePostgresUrl("postgres://u1:p%40ss@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d9x", SOURCE),
    ).toEqual({
      tls: true,
      host: "ec2-1-2-3-4.compute-1.amazonaws.com",
      port: 5432,
      user: "u1",
      password: "p@ss",
      database: "d9x",
      redacted: "postgres://[redacted]:[redacted]@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d9x",
    });
  });

  it("defaults the port, accepts postgresql:// and turns TLS off only for sslmode=disable or allow", () => {
    expect(parsePostgresUrl("postgresql://u@[::1]/db", SOURCE)).toMatchObject({
      host: "::1",
      port: 5432,
      password: undefined,
      tls: true,
    });
    expect(parsePostgresUrl("postgres://u:p@h/db?sslmode=disable", SOURCE).tls).toBe(false);
    expect(parsePostgresUrl("postgres://u:p@h/db?sslmode=allow", SOURCE).tls).toBe(false);
    expect(parsePostgresUrl("postgres://u:p@h/db?sslmode=prefer", SOURCE).tls).toBe(true);
    expect(parsePostgresUrl("postgres://u:p@h/db?sslmode=verify-full", SOURCE).tls).toBe(true);
  });

  it.each([
    ["", "is empty"],
    ["postgres://u:s3cr3tpw@h/db ", "contains whitespace"],
    ["://u:s3cr3tpw@h/db", "is not a valid URL"],
    ["redis://u:s3cr3tpw@h/db", "must start with postgres:// or postgresql:// (got redis:)"],
    ["postgres:///db", "has no host"],
    ["postgres://:s3cr3tpw@h/db", "has no user name"],
    ["postgres://u:s3cr3tpw@h", "has no database name (postgres://user:password@host/DATABASE)"],
    [
      "postgres://u:s3cr3tpw@h/a/b",
      "has no database name (postgres://user:password@host/DATABASE)",
    ],
    ["postgres://u:s3cr3tpw@h/db#x", "has a #fragment"],
    ["postgres://u:s3cr3tpw%zz@h/db", "has badly percent-encoded credentials or database name"],
    [
      "postgres://u:s3cr3tpw@h/db?sslmode=on",
      "has an unknown sslmode (expected one of disable, allow, prefer, require, verify-ca, verify-full)",
    ],
  ])("rejects %j with a message that names the source and hides the password", (raw, problem) => {
    let caught: unknown;
    try {
      parsePostgresUrl(raw, SOURCE);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidPostgresUrlError);
    expect((caught as Error).message).toBe(`${SOURCE} ${problem}`);
    expect((caught as Error).message).not.toContain("s3cr3tpw");
  });
});
