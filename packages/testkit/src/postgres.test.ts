import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { startPostgres } from "./postgres.js";

const run = promisify(execFile);

/** `SELECT 1` through psql with a connection string; resolves to psql's output or rejects with its error. */
async function selectOne(conninfo: string): Promise<string> {
  const { stdout } = await run("psql", ["-XAtq", "-c", "SELECT 1", conninfo], {
    env: { ...process.env, PGCONNECT_TIMEOUT: "5" },
  });
  return stdout.trim();
}

describe("startPostgres", () => {
  it("requires the password over TCP, verifies TLS with its CA, and is gone after stop", async () => {
    const pg = await startPostgres({ password: "pg-pass/with:chars", tls: true });
    let stopped = false;
    try {
      expect(pg.url).toBe(
        `postgres://postgres:pg-pass%2Fwith%3Achars@127.0.0.1:${pg.port}/postgres`,
      );
      expect(await selectOne(`${pg.url}?sslmode=disable`)).toBe("1");
      expect(await selectOne(`${pg.url}?sslmode=verify-full&sslrootcert=${pg.caFile}`)).toBe("1");
      const wrong = pg.url.replace("pg-pass%2Fwith%3Achars", "not-it");
      await expect(selectOne(`${wrong}?sslmode=disable`)).rejects.toThrow(
        /password authentication failed/,
      );
      // The CA is throwaway: the system's trust store does not know it.
      await expect(
        selectOne(`${pg.url}?sslmode=verify-full&sslrootcert=/etc/ssl/certs/ca-certificates.crt`),
      ).rejects.toThrow(/certificate verify failed/);
      const caFile = pg.caFile as string;
      await pg.stop();
      stopped = true;
      expect(existsSync(caFile)).toBe(false);
      await expect(selectOne(`${pg.url}?sslmode=disable`)).rejects.toThrow(
        /refused|could not connect/,
      );
    } finally {
      if (!stopped) await pg.stop();
    }
  });
});
