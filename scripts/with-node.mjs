#!/usr/bin/env node
// Runs a command on a supported Node: the one running this script when it is
// new enough, otherwise the pinned release from the per-user cache (installed
// on first use). The chosen Node's folder goes first on PATH, so everything
// the command starts (pnpm, turbo, vitest, tsup) runs on it too. The root
// package.json runs its scripts through this; for a shell of your own:
//
//   export PATH="$(node scripts/with-node.mjs --bin-dir):$PATH"
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { constants as os } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { currentMajor, ensurePinnedNode, MIN_NODE_MAJOR } from "./node-runtime.mjs";

function supportedBinDir() {
  if (currentMajor() >= MIN_NODE_MAJOR) return dirname(process.execPath);
  return ensurePinnedNode();
}

/** The command's full path on the new PATH (spawn would look it up on ours). */
function resolveCommand(command, path) {
  if (command.includes("/")) return command;
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {}
  }
  return command;
}

const args = process.argv.slice(2);
let binDir;
try {
  binDir = supportedBinDir();
} catch (error) {
  process.stderr.write(`with-node: ${error.message}\n`);
  process.exit(69);
}
if (args[0] === "--bin-dir") {
  process.stdout.write(`${binDir}\n`);
  process.exit(0);
}
if (args.length === 0) {
  process.stderr.write("usage: node scripts/with-node.mjs --bin-dir | COMMAND [ARGS...]\n");
  process.exit(64);
}
const PATH = `${binDir}${delimiter}${process.env.PATH ?? ""}`;
const child = spawn(resolveCommand(args[0], PATH), args.slice(1), {
  stdio: "inherit",
  env: { ...process.env, PATH },
});
// A terminal's Ctrl-C reaches the child directly (same process group); a
// signal sent to this process alone is passed on.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("error", (error) => {
  process.stderr.write(`with-node: cannot run ${args[0]}: ${error.message}\n`);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  process.exit(code ?? 128 + (os.signals[signal] ?? 1));
});
