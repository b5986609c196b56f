#!/usr/bin/env node
// The README's set-up: a supported Node (the pinned Node 24 from the npm
// registry, into a per-user cache, when the system's is older than 22),
// pnpm, the dependencies and a build. One line per thing it installs; runs
// on any Node from 18 on, as root or as a normal user, and again safely.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { currentMajor, ensurePinnedNode, MIN_NODE_MAJOR } from "./node-runtime.mjs";

const root = join(import.meta.dirname ?? dirname(new URL(import.meta.url).pathname), "..");
const say = (line) => process.stderr.write(`setup: ${line}\n`);

const binDir =
  currentMajor() >= MIN_NODE_MAJOR ? dirname(process.execPath) : ensurePinnedNode({ say });
if (currentMajor() >= MIN_NODE_MAJOR) say(`Node ${process.version} is supported; using it`);
else say(`the system's Node ${process.version} is older than ${MIN_NODE_MAJOR}: using ${binDir}`);
const env = { ...process.env, PATH: `${binDir}${delimiter}${process.env.PATH ?? ""}` };

function onPath(command) {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { env, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

// pnpm, at the version package.json pins. As root it goes with npm's global
// packages; otherwise into ~/.local (whose bin/ Debian's ~/.profile puts on PATH).
if (!onPath("pnpm")) {
  const { packageManager } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const spec = packageManager.split("+")[0];
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? [] : ["--prefix", join(homedir(), ".local")];
  say(`installing ${spec} with npm${asRoot ? "" : " into ~/.local"}`);
  execFileSync("npm", ["install", "--global", "--silent", ...prefix, spec], {
    env,
    stdio: "inherit",
  });
  if (!asRoot) {
    env.PATH = `${join(homedir(), ".local", "bin")}${delimiter}${env.PATH}`;
    say("pnpm is in ~/.local/bin: put that folder on your PATH if it is not");
  }
}

for (const args of [["install", "--frozen-lockfile"], ["build"]]) {
  say(`pnpm ${args.join(" ")}`);
  execFileSync("pnpm", args, { cwd: root, env, stdio: "inherit" });
}
say("done: `pnpm test` runs every test, `pnpm test:unit` the unit lane");
