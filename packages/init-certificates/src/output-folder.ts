import { access, constants, mkdir, rmdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { OutputError } from "./errors.js";

/**
 * Creates `dir` and its missing parents one level at a time, returning the
 * folders it created (outermost first), so a run that fails or is stopped
 * can remove them and leave no empty folder behind.
 *
 * Not `mkdir(dir, { recursive: true })`: under a pseudo file system such as
 * /proc, `mkdir` answers ENOENT while the parent exists, and Node's recursive
 * mkdir retries that forever on a thread-pool thread at 100% CPU, where no
 * signal handler can stop it. One level at a time, ENOENT is an answer.
 */
export async function createFolder(dir: string): Promise<string[]> {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let folder = target; ; folder = dirname(folder)) {
    const kind = await stat(folder).then(
      (info) => (info.isDirectory() ? "folder" : "other"),
      (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? "missing" : fail(dir, error)),
    );
    if (kind === "folder") break;
    if (kind === "other")
      throw new OutputError(`cannot write to ${dir}: ${folder} is not a folder (ENOTDIR)`);
    missing.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  const created: string[] = [];
  try {
    for (const folder of missing) {
      await mkdir(folder, { mode: 0o755 });
      created.push(folder);
    }
    await access(target, constants.W_OK);
  } catch (error) {
    await removeFolders(created);
    fail(dir, error as NodeJS.ErrnoException);
  }
  return created;
}

/** Removes folders `createFolder` made, innermost first, if they are still empty. */
export async function removeFolders(created: readonly string[]): Promise<void> {
  for (const folder of [...created].reverse()) {
    // rmdir refuses a folder that holds anything: nothing but our own empty folders goes.
    await rmdir(folder).catch(() => undefined);
  }
}

function fail(dir: string, error: NodeJS.ErrnoException): never {
  throw new OutputError(`cannot write to ${dir}: ${error.code ?? error.message}`, { cause: error });
}
