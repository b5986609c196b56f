import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, chown, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { ensureDebianPackages, POSTGRES } from "./debian-packages.js";
import { findFreePort } from "./free-port.js";
import { superviseProcess } from "./supervised-process.js";
import { waitFor } from "./wait-for.js";

const run = promisify(execFile);

export interface PostgresServer {
  /** `postgres://USER:PASSWORD@127.0.0.1:PORT/postgres`, a superuser with password auth. */
  url: string;
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** The superuser's password; a random one by default. */
  password?: string;
}

const USER = "restyled_test";

/**
 * Starts a throwaway PostgreSQL server (Debian's `postgresql`) with its own
 * data folder, on a free loopback port, with password (SCRAM) authentication
 * for every connection. PostgreSQL refuses to run as root, so as root it runs
 * as the `postgres` account the Debian package creates.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const [postgres] = ensureDebianPackages([POSTGRES]) as [string];
  const bin = dirname(postgres);
  const password = options.password ?? randomBytes(12).toString("hex");
  const dir = await mkdtemp(join(tmpdir(), "restyled-postgres-"));
  const asService = await serviceAccount();
  const wrap = (command: string, args: string[]): [string, string[]] =>
    asService
      ? [
          "setpriv",
          [
            `--reuid=${asService.uid}`,
            `--regid=${asService.gid}`,
            "--clear-groups",
            command,
            ...args,
          ],
        ]
      : [command, args];
  const data = join(dir, "data");
  const passwordFile = join(dir, "password");
  const logFile = join(dir, "postgres.log");
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (asService) {
    await chown(dir, asService.uid, asService.gid);
    await chown(passwordFile, asService.uid, asService.gid);
  }
  await chmod(dir, 0o700);

  const stopEarly = async () => rm(dir, { recursive: true, force: true });
  try {
    const [initdb, initdbArgs] = wrap(join(bin, "initdb"), [
      `--pgdata=${data}`,
      `--username=${USER}`,
      `--pwfile=${passwordFile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      // A throwaway cluster: nothing needs to survive a crash.
      "--no-sync",
      "--no-instructions",
    ]);
    await run(initdb, initdbArgs, { cwd: dir });
  } catch (error) {
    await stopEarly();
    throw new Error(`initdb failed: ${(error as { stderr?: string }).stderr ?? error}`);
  }

  const port = await findFreePort();
  const [command, args] = wrap(postgres, [
    "-D",
    data,
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    // Its unix socket stays in its own folder, not /var/run/postgresql.
    "-k",
    dir,
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
  ]);
  // SIGINT is PostgreSQL's fast shutdown: SIGTERM would wait for every client.
  const server = superviseProcess({ name: "postgres", command, args, logFile, stopSignal: "INT" });
  const stop = async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(() => acceptsConnections(bin, port), {
      what: `postgres on port ${port}`,
      // A hang guard: on a busy machine a first start can take a while.
      timeoutMs: 180_000,
      intervalMs: 200,
      gaveUp: () => server.exited,
      diagnose: () => readFile(logFile, "utf8").catch(() => "(no log)"),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return { url, port, user: USER, password, stop };
}

/** pg_isready exits 0 once the server accepts connections. */
async function acceptsConnections(bin: string, port: number): Promise<boolean> {
  try {
    await run(join(bin, "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(port)]);
    return true;
  } catch {
    return false;
  }
}

/** As root: the `postgres` account's ids; otherwise undefined (run as ourselves). */
async function serviceAccount(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const { stdout } = await run("id", ["-u", "postgres"]).catch(() => {
    throw new Error(
      "running as root, the postgres account (from the postgresql package) is needed",
    );
  });
  const { stdout: gid } = await run("id", ["-g", "postgres"]);
  return { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
}
