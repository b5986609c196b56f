import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { renderPart, runPart, userDataPart } from "./user-data.js";

// Runs the machines user-data's Node.js install for real, with bash, curl,
// sha256sum and tar, against a release tarball made here and served from a
// local file (no network): the one stand-in is that tarball.
const run = promisify(execFile);
const VERSION = "24.22.3";

let installNode = "";
beforeAll(async () => {
  installNode = await userDataPart("install-node");
});

let work = "";
afterEach(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  work = "";
});

/** A release tarball laid out like nodejs.org's, whose `node` prints its version. */
async function makeRelease(): Promise<{ tarball: string; sha256: string }> {
  const top = `node-v${VERSION}-linux-x64`;
  await mkdir(join(work, "release", top, "bin"), { recursive: true });
  const node = join(work, "release", top, "bin", "node");
  await writeFile(node, `#!/bin/sh\necho v${VERSION}\n`);
  await chmod(node, 0o755);
  const tarball = join(work, `${top}.tar.xz`);
  await run("tar", ["-cJf", tarball, "-C", join(work, "release"), top]);
  return {
    tarball,
    sha256: createHash("sha256")
      .update(await readFile(tarball))
      .digest("hex"),
  };
}

/** The user-data part with its parameters filled in, downloading `url` into `prefix`. */
function render(options: { sha256: string; url: string; prefix: string }): string {
  return renderPart(installNode, {
    variables: { NodeVersion: VERSION, NodeSha256: options.sha256 },
    assign: { node_url: options.url, node_prefix: options.prefix },
  });
}

const runScript = (script: string) => runPart(script, join(work, "tmp"));

describe("the machines' Node.js install", () => {
  it("downloads the pinned release from nodejs.org and checks it with sha256sum", () => {
    expect(installNode).toContain(
      `node_url=https://nodejs.org/dist/v\${NodeVersion}/node-v\${NodeVersion}-linux-x64.tar.xz`,
    );
    expect(installNode).toContain("sha256sum --check --strict");
  });

  it("installs a release whose sha256 matches, and its node runs", async () => {
    work = await mkdtemp(join(tmpdir(), "user-data-node-"));
    const { tarball, sha256 } = await makeRelease();
    const prefix = join(work, "prefix");
    await mkdir(prefix);
    const result = await runScript(render({ sha256, url: `file://${tarball}`, prefix }));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect((await run(join(prefix, "bin", "node"), [])).stdout).toBe(`v${VERSION}\n`);
    // The download went to a temporary file, removed once unpacked.
    expect(await readdir(join(work, "tmp"))).toEqual([]);
  });

  it("refuses a download whose sha256 differs, and installs nothing", async () => {
    work = await mkdtemp(join(tmpdir(), "user-data-node-"));
    const { tarball } = await makeRelease();
    const prefix = join(work, "prefix");
    await mkdir(prefix);
    const wrong = "0".repeat(64);
    const result = await runScript(render({ sha256: wrong, url: `file://${tarball}`, prefix }));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`refusing file://${tarball}: its sha256 is not ${wrong}`);
    expect(await readdir(prefix)).toEqual([]);
    expect(await readdir(join(work, "tmp"))).toEqual([]);
  });

  it("stops when the download fails, before installing anything", async () => {
    work = await mkdtemp(join(tmpdir(), "user-data-node-"));
    const prefix = join(work, "prefix");
    await mkdir(prefix);
    const missing = `file://${join(work, "no-such.tar.xz")}`;
    const result = await runScript(render({ sha256: "0".repeat(64), url: missing, prefix }));
    expect(result.code).not.toBe(0);
    expect(await readdir(prefix)).toEqual([]);
  });
});
