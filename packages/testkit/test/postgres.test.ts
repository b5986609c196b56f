import { execFile } from "node:child_process";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { findExecutable, POSTGRES } from "../src/debian-packages.js";
import { startPostgres } from "../src/postgres.js";

const run = promisify(execFile);

/** psql from the same Debian major as the server. */
function psql(url: string, sql: string) {
  const bin = dirname(findExecutable(POSTGRES) as string);
  return run(join(bin, "psql"), ["--no-psqlrc", "-tA", "-d", url, "-c", sql]);
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.on("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.on("error", () => resolve(true));
  });
}

describe("startPostgres", () => {
  it("serves on a loopback port with password auth, and leaves nothing behind", async () => {
    const pg = await startPostgres({ password: "pg s3cret/with:chars" });
    try {
      expect(pg.url).toBe(
        `postgres://postgres:pg%20s3cret%2Fwith%3Achars@127.0.0.1:${pg.port}/postgres`,
      );
      expect((await psql(pg.url, "select 40 + 2")).stdout.trim()).toBe("42");
      const wrong = pg.url.replace("pg%20s3cret", "wrong");
      await expect(psql(wrong, "select 1")).rejects.toThrow(/password authentication failed/);
    } finally {
      await pg.stop();
    }
    expect(await refusesConnections(pg.port)).toBe(true);
    // initdb and a first start: a generous hang guard for a busy machine.
  }, 300_000);
});
