import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ensureDebianPackages, type Requirement } from "./debian-packages.js";
import { findFreePort } from "./free-port.js";
import { superviseProcess } from "./supervised-process.js";
import { waitFor } from "./wait-for.js";

// pg_ctlcluster (postgresql-common) is on PATH once Debian's `postgresql` is
// installed; the server binaries themselves live in /usr/lib/postgresql/N/bin.
const POSTGRESQL: Requirement = { command: "pg_ctlcluster", debianPackage: "postgresql" };
const SERVER_ROOT = "/usr/lib/postgresql";

// Asynchronous on purpose: initdb takes seconds, and a blocked event loop
// would starve the other services' readiness checks started alongside.
const run = promisify(execFile);

export interface PostgresServer {
  /** `postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres` (the superuser; no sslmode). */
  url: string;
  port: number;
  user: string;
  password: string;
  /** The PEM of the throwaway CA that issued the server certificate, when started with `tls`. */
  caFile: string | undefined;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** The superuser's password (a random one by default). */
  password?: string;
  /**
   * Also accept TLS, with a certificate for 127.0.0.1 issued by a throwaway CA
   * (untrusted unless the client is given `caFile`, like Heroku Postgres's
   * self-signed certificates). Plain connections are still accepted.
   */
  tls?: boolean;
}

/**
 * Starts a throwaway PostgreSQL server (Debian's `postgresql`) on a free
 * loopback port with its own data directory, password authentication
 * (scram-sha-256) over TCP and no persistence worth keeping. As root the
 * server runs as the `postgres` user, because initdb and postgres refuse root.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  ensureDebianPackages([POSTGRESQL]);
  const bin = serverBinDir();
  const password = options.password ?? randomBytes(12).toString("hex");
  const dir = await mkdtemp(join(tmpdir(), "restyled-postgres-"));
  const dataDir = join(dir, "data");
  const logFile = join(dir, "postgres.log");
  const owner = await serviceUser();
  const asOwner = (command: string, args: string[]) =>
    owner
      ? { command: "setpriv", args: [...owner.setpriv, "--", command, ...args] }
      : { command, args };

  let server: ReturnType<typeof superviseProcess> | undefined;
  const stop = async () => {
    if (server && !server.exited) {
      // A fast shutdown: the default (smart) one waits for every client to leave.
      const pgCtl = asOwner(join(bin, "pg_ctl"), ["stop", "-D", dataDir, "-m", "fast", "-w"]);
      await run(pgCtl.command, pgCtl.args, { timeout: 30_000 }).catch(() => undefined);
      await server.stop();
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const pwfile = join(dir, "pwfile");
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) {
      chownSync(dir, owner.uid, owner.gid);
      chownSync(pwfile, owner.uid, owner.gid);
    }
    const initdb = asOwner(join(bin, "initdb"), [
      ...["-D", dataDir, "-U", "postgres", "--pwfile", pwfile],
      ...["--auth-host", "scram-sha-256", "--auth-local", "trust", "--no-sync"],
      ...["--encoding", "UTF8", "--locale", "C"],
    ]);
    await run(initdb.command, initdb.args);
    await rm(pwfile);

    const caFile = options.tls ? await issueCertificate(dataDir, owner) : undefined;
    const port = await findFreePort();
    const settings = [
      ["listen_addresses", "127.0.0.1"],
      ["port", String(port)],
      // Our own socket directory: the system's /var/run/postgresql may not exist.
      ["unix_socket_directories", dataDir],
      ["password_encryption", "scram-sha-256"],
      ["fsync", "off"],
      ["synchronous_commit", "off"],
      ["full_page_writes", "off"],
      ...(options.tls
        ? [
            ["ssl", "on"],
            ["ssl_cert_file", join(dataDir, "server.pem")],
            ["ssl_key_file", join(dataDir, "server-key.pem")],
          ]
        : []),
    ].flatMap(([name, value]) => ["-c", `${name}=${value}`]);
    const postgres = asOwner(join(bin, "postgres"), ["-D", dataDir, ...settings]);
    server = superviseProcess({ name: "postgres", ...postgres, logFile });
    const started = server;
    const pgIsReady = join(bin, "pg_isready");
    await waitFor(async () => isReady(pgIsReady, port), {
      what: `postgres on port ${port}`,
      timeoutMs: 30_000,
      gaveUp: () => started.exited,
      diagnose: () => readFile(logFile, "utf8").catch(() => "(no log)"),
    });
    return {
      url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
      port,
      user: "postgres",
      password,
      caFile,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The newest installed server version's bin directory. */
function serverBinDir(): string {
  const versions = readdirSync(SERVER_ROOT)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  if (!newest) throw new Error(`postgresql is installed but ${SERVER_ROOT} has no server version`);
  return join(SERVER_ROOT, newest, "bin");
}

interface ServiceUser {
  uid: number;
  gid: number;
  setpriv: string[];
}

/** Who runs the server: root cannot, so root hands it to `postgres`; anyone else runs it as themselves. */
async function serviceUser(): Promise<ServiceUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async (flag: string) => Number((await run("id", [flag, "postgres"])).stdout.trim());
  return {
    uid: await id("-u"),
    gid: await id("-g"),
    // setpriv execs the server in place, so stop signals reach it directly.
    setpriv: ["--reuid=postgres", "--regid=postgres", "--init-groups"],
  };
}

async function isReady(pgIsReady: string, port: number): Promise<boolean> {
  try {
    await run(pgIsReady, ["-q", "-h", "127.0.0.1", "-p", String(port), "-t", "2"]);
    return true;
  } catch {
    return false;
  }
}

/** A CA and a server certificate for 127.0.0.1 and localhost, with openssl; returns the CA's path. */
async function issueCertificate(dataDir: string, owner: ServiceUser | undefined): Promise<string> {
  const openssl = (args: string[]) => run("openssl", args, { cwd: dataDir });
  const rsa = ["-newkey", "rsa:2048", "-nodes", "-days", "1"];
  await openssl([
    "req",
    "-x509",
    ...rsa,
    "-subj",
    "/CN=Test Postgres CA",
    "-keyout",
    "ca-key.pem",
    "-out",
    "ca.pem",
  ]);
  await openssl(
    ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1"].concat([
      "-keyout",
      "server-key.pem",
      "-out",
      "server.csr",
    ]),
  );
  writeFileSync(join(dataDir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await openssl(
    ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem"].concat([
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      "san.ext",
      "-out",
      "server.pem",
    ]),
  );
  // postgres refuses a key readable by anyone but its owner.
  for (const file of ["server.pem", "server-key.pem", "ca.pem", "ca-key.pem"]) {
    const path = join(dataDir, file);
    if (owner) chownSync(path, owner.uid, owner.gid);
    chmodSync(path, file === "ca.pem" || file === "server.pem" ? 0o644 : 0o600);
  }
  return join(dataDir, "ca.pem");
}
