import { readFile } from "node:fs/promises";
import { findFreePort, startSilentEndpoint } from "@restyled/testkit";
import pg from "pg";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { PostgresUnreachableError } from "../src/errors.js";
import { checkPostgres } from "../src/postgres-check.js";
import { parsePostgresUrl } from "../src/postgres-url.js";
import { rejectionOf } from "./rejection.js";

// A real PostgreSQL server (password auth, TLS with a throwaway CA) and real
// sockets; nothing is mocked.
const postgres = inject("postgres");
const PASSWORD = "check-db-password-6d6d";
let ca: string;
let roleUrl: string;

beforeAll(async () => {
  ca = await readFile(postgres.caFile, "utf8");
  const admin = new pg.Client({ connectionString: postgres.url, ssl: false });
  await admin.connect();
  await admin.query(`CREATE ROLE check_role LOGIN PASSWORD '${PASSWORD}'`);
  await admin.end();
  roleUrl = `postgres://check_role:${PASSWORD}@127.0.0.1:${postgres.port}/postgres`;
});

const target = (url: string) => parsePostgresUrl(url, "the test URL");
// A hang guard, not a budget: a TLS handshake on a loaded 2-core machine can take seconds.
const verified = { timeoutMs: 60_000, tlsVerify: true, ca: undefined as string | undefined };

const failure = (promise: Promise<unknown>) => rejectionOf(promise, PostgresUnreachableError);

describe("checkPostgres", () => {
  it("runs SELECT 1 over TLS verified with the server's CA", async () => {
    await expect(checkPostgres(target(roleUrl), { ...verified, ca })).resolves.toBeUndefined();
  });

  it("refuses the self-signed certificate by default, with a hint", async () => {
    const error = await failure(checkPostgres(target(roleUrl), verified));
    expect(error.message).toMatch(
      /^postgres:\/\/\[redacted\]:\[redacted\]@127\.0\.0\.1:\d+\/postgres did not answer SELECT 1: /,
    );
    expect(error.message).toContain("--postgres-insecure-skip-tls-verify");
  });

  it("connects without verification only when told to", async () => {
    await expect(
      checkPostgres(target(roleUrl), { ...verified, tlsVerify: false }),
    ).resolves.toBeUndefined();
  });

  it("fails on a wrong password, hiding both passwords", async () => {
    const wrong = roleUrl.replace(PASSWORD, "not-the-db-password-7e7e");
    const error = await failure(checkPostgres(target(wrong), { ...verified, ca }));
    expect(error.message).toMatch(
      /the server rejected the credentials \(password authentication failed for user "check_role"/,
    );
    expect(error.message).not.toContain("not-the-db-password-7e7e");
    expect(error.message).not.toContain(PASSWORD);
  });

  it("fails on a database that does not exist", async () => {
    const error = await failure(
      checkPostgres(target(roleUrl.replace(/\/postgres$/, "/no_such_db")), { ...verified, ca }),
    );
    expect(error.message).toMatch(/the database does not exist/);
  });

  it("fails fast on a closed port", async () => {
    const port = await findFreePort();
    const error = await failure(
      checkPostgres(target(`postgres://u:pw@127.0.0.1:${port}/d?sslmode=disable`), verified),
    );
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it("gives up after the timeout when the server never answers", async () => {
    const silent = await startSilentEndpoint();
    const { port } = silent;
    try {
      const error = await failure(
        checkPostgres(target(`postgres://u:pw@127.0.0.1:${port}/d`), {
          ...verified,
          timeoutMs: 300,
        }),
      );
      expect(error.message).toMatch(/timeout|within 300 ?ms/i);
    } finally {
      await silent.close();
    }
  });
});
