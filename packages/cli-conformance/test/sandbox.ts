// One sandbox per matrix cell: an empty HOME, fake AWS credentials, and every
// endpoint a tool could reach pointed at a listener of ours that records the
// connection and closes it, so "nothing was called" is observed, not assumed.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A value no message may ever show: it stands for every token and key a cell sets. */
export const SECRET = "matrix-secret-4b9d7e1f";
/** The fake secret access key (also never shown). */
export const FAKE_SECRET_KEY = "matrixFakeSecretAccessKey0123456789abcdef";

export interface Recorder {
  /** `http://host:port`, to put in a URL variable. */
  url: string;
  host: string;
  port: number;
  /** How many connections arrived. */
  connections(): number;
  close(): Promise<void>;
}

/** A TCP listener that counts connections and closes each at once (like a dead endpoint). */
export async function startRecorder(host: string): Promise<Recorder> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${address.port}`,
    host,
    port: address.port,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The "remote host" of the http-URL cells: a name under the reserved `.invalid`
 * top-level domain (RFC 6761), which never resolves. Tests send no traffic off
 * loopback; a tool that did not refuse the URL up front would fail to resolve
 * it instead, with another exit code and message than the cell expects.
 */
export const REMOTE_URL = "http://restyled.example.invalid:8080";

export interface Sandbox {
  /** An empty folder: HOME, TMPDIR, the missing AWS config files. */
  dir: string;
  /** AWS endpoints (AWS_ENDPOINT_URL) and every loopback URL a tool is given. */
  loopback: Recorder;
  /** AWS_EC2_METADATA_SERVICE_ENDPOINT. */
  imds: Recorder;
  /** The "remote" host of the http-URL cells (see REMOTE_URL). */
  remote: { url: string };
  /** The environment every tool gets before its own settings. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export async function createSandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), "cli-conformance-"));
  const [loopback, imds] = await Promise.all([
    startRecorder("127.0.0.1"),
    startRecorder("127.0.0.1"),
  ]);
  const remote = { url: REMOTE_URL };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    TMPDIR: dir,
    // Neither exists: no profile, no region, no credentials from files.
    AWS_CONFIG_FILE: join(dir, "aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
    AWS_ENDPOINT_URL: loopback.url,
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7MATRIX0",
    AWS_SECRET_ACCESS_KEY: FAKE_SECRET_KEY,
    AWS_REGION: "us-east-1",
  };
  return {
    dir,
    loopback,
    imds,
    remote,
    env,
    async dispose() {
      await Promise.all([loopback.close(), imds.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface BinResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin argv…` with exactly `env` (nothing inherited), in `cwd`. */
export function runBin(
  bin: string,
  argv: readonly string[],
  options: { env: Record<string, string>; cwd: string; hangGuardMs: number },
): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...argv], {
      env: options.env,
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
    });
    const guard = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${bin} still running after ${options.hangGuardMs} ms; stderr: ${stderr}`));
    }, options.hangGuardMs);
    child.once("error", (error) => {
      clearTimeout(guard);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
