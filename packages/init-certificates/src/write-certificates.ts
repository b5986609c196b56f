import { closeSync, fsyncSync, openSync, renameSync, rmSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { CertificateSet } from "./create-certificates.js";
import { OutputError } from "./errors.js";
import { createFolder } from "./output-folder.js";

const CERTIFICATE_MODE = 0o644;
const KEY_MODE = 0o600;
export const CA_KEY_FILE = "ca-key.pem";

/** One file of the output, by its name inside the output folder. */
export interface OutputFile {
  name: string;
  mode: number;
  contents: string;
}

/**
 * The layout existing user-data expects, plus `client/` for
 * `DOCKER_CERT_PATH`.
 */
const LAYOUT: Array<{ name: string; mode: number; pick: (set: CertificateSet) => string }> = [
  { name: "ca.pem", mode: CERTIFICATE_MODE, pick: (set) => set.ca.cert },
  { name: "server_cert.pem", mode: CERTIFICATE_MODE, pick: (set) => set.server.cert },
  { name: "server_key.pem", mode: KEY_MODE, pick: (set) => set.server.key },
  { name: "client_cert.pem", mode: CERTIFICATE_MODE, pick: (set) => set.client.cert },
  { name: "client_key.pem", mode: KEY_MODE, pick: (set) => set.client.key },
  { name: "client/ca.pem", mode: CERTIFICATE_MODE, pick: (set) => set.ca.cert },
  { name: "client/cert.pem", mode: CERTIFICATE_MODE, pick: (set) => set.client.cert },
  { name: "client/key.pem", mode: KEY_MODE, pick: (set) => set.client.key },
];

/** The files of a set; the CA key is included only when asked for. */
export function outputFiles(
  set: CertificateSet,
  options: { writeCaKey?: boolean } = {},
): OutputFile[] {
  const files = LAYOUT.map(({ name, mode, pick }) => ({ name, mode, contents: pick(set) }));
  if (options.writeCaKey) {
    if (!set.ca.key)
      throw new OutputError("the CA key was given, not made: it is not written again");
    files.push({ name: CA_KEY_FILE, mode: KEY_MODE, contents: set.ca.key });
  }
  return files;
}

/**
 * Fails unless `dir` can be written and (without `force`) holds none of the
 * files: run it before the slow key generation, and again when writing.
 * Returns the folders it created, for `removeFolders` if the run stops.
 */
export async function checkOutputFolder(
  dir: string,
  options: { force?: boolean } = {},
): Promise<string[]> {
  const created = await createFolder(dir);
  if (!options.force) await refuseOverwrite(dir);
  return created;
}

export interface WriteCertificatesOptions {
  /** Replace existing files; without it, any existing file stops the run. */
  force?: boolean;
  /** Also write the CA's private key as `ca-key.pem` (0600). */
  writeCaKey?: boolean;
  /** Stops the write before anything is replaced. */
  signal?: AbortSignal;
}

export interface WrittenFile {
  path: string;
  mode: string;
}

/**
 * Writes the set into `dir` all or nothing: every file is first written and
 * synced in a staging folder inside `dir`, then renamed into place in one
 * synchronous pass that no signal handler can interrupt.
 */
export async function writeCertificates(
  dir: string,
  set: CertificateSet,
  options: WriteCertificatesOptions = {},
): Promise<WrittenFile[]> {
  const files = outputFiles(set, options);
  await checkOutputFolder(dir, options);
  // A new CA orphans the key of the one it replaces; keep no stale CA key beside it.
  const staleCaKey = set.ca.key && !options.writeCaKey ? join(dir, CA_KEY_FILE) : undefined;

  const staging = await mkdtemp(join(dir, ".init-certificates-"));
  try {
    await mkdir(join(staging, "client"));
    for (const file of files) {
      const path = join(staging, file.name);
      await writeFile(path, file.contents, { mode: file.mode, flag: "wx" });
      await chmod(path, file.mode); // the umask may have narrowed or widened nothing; be exact
      syncFile(path);
    }
    options.signal?.throwIfAborted();
    await mkdir(join(dir, "client"), { recursive: true, mode: 0o755 });
    commit(staging, dir, files, staleCaKey);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return files.map((file) => ({
    path: join(dir, file.name),
    mode: file.mode.toString(8).padStart(4, "0"),
  }));
}

function commit(staging: string, dir: string, files: OutputFile[], staleCaKey: string | undefined) {
  for (const file of files) renameSync(join(staging, file.name), join(dir, file.name));
  if (staleCaKey) rmSync(staleCaKey, { force: true });
  for (const folder of new Set(files.map((file) => dirname(join(dir, file.name)))))
    syncFile(folder);
}

async function refuseOverwrite(dir: string): Promise<void> {
  const existing: string[] = [];
  for (const file of [...LAYOUT, { name: CA_KEY_FILE }]) {
    if (await exists(join(dir, file.name))) existing.push(file.name);
  }
  if (existing.length > 0) {
    throw new OutputError(
      `${dir} already holds ${existing.join(", ")}; pass --force to replace them`,
    );
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function syncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
