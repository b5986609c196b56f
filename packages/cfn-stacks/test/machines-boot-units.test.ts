import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ensureDebianPackages } from "@restyled/testkit/debian-packages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userDataText } from "./user-data.js";

// The systemd units the machines' user data writes, checked by systemd's own
// `systemd-analyze verify` (syntax, unknown keys, units that do not exist).
// Stand-ins: docker.service (dockerd is not run here) and the script the
// oneshot unit starts (its own test is machines-boot-certificates.test.ts).
const run = promisify(execFile);
let systemdAnalyze = "";
let text = "";
let dir = "";

/** The body of the heredoc that writes `target` (`cat >target <<'END'` … `END`). */
function heredoc(target: string): string {
  const match = new RegExp(`cat >${target} <<'(\\w+)'\\n([\\s\\S]*?)\\n\\1\\n`).exec(text);
  expect(match, `user-data writes ${target}`).not.toBeNull();
  return `${match?.[2] ?? ""}\n`;
}

beforeAll(async () => {
  [systemdAnalyze] = ensureDebianPackages([
    { command: "systemd-analyze", debianPackage: "systemd" },
  ]) as [string];
  text = await userDataText();
  dir = await mkdtemp(join(tmpdir(), "boot-units-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Writes the units into `unitPath` and verifies `unit` there; never rejects. */
async function verify(unitPath: string, dropIn: string, unit: string) {
  const script = join(unitPath, "restyled-docker-certificates");
  await mkdir(join(unitPath, "docker.service.d"), { recursive: true });
  await writeFile(script, "#!/bin/sh\nexit 0\n");
  await chmod(script, 0o755);
  const oneshot = heredoc("/etc/systemd/system/restyled-docker-certificates.service");
  await writeFile(
    join(unitPath, "restyled-docker-certificates.service"),
    oneshot.replace(
      "ExecStart=/usr/local/sbin/restyled-docker-certificates",
      `ExecStart=${script}`,
    ),
  );
  await writeFile(join(unitPath, "docker.service"), "[Service]\nExecStart=/bin/true\n");
  await writeFile(join(unitPath, "docker.service.d", "restyled-certificates.conf"), dropIn);
  return run(systemdAnalyze, ["verify", "--man=no", unit], {
    // The trailing separator keeps systemd's own folders after this one.
    env: { ...process.env, SYSTEMD_UNIT_PATH: `${unitPath}:` },
  }).then(
    (r) => ({ code: 0, stderr: r.stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

describe("the machines' boot units", () => {
  it("writes a oneshot certificates unit that systemd accepts, run once per boot before dockerd", async () => {
    const unit = heredoc("/etc/systemd/system/restyled-docker-certificates.service");
    expect(unit).toMatch(/^Type=oneshot$/m);
    expect(unit).toMatch(/^RemainAfterExit=yes$/m);
    expect(unit).toMatch(/^Before=docker\.service$/m);
    const result = await verify(
      join(dir, "ok"),
      heredoc("/etc/systemd/system/docker.service.d/restyled-certificates.conf"),
      "restyled-docker-certificates.service",
    );
    expect(result).toEqual({ code: 0, stderr: "" });
  });

  it("makes docker.service require and wait for the certificates unit", async () => {
    const dropIn = heredoc("/etc/systemd/system/docker.service.d/restyled-certificates.conf");
    expect(dropIn).toBe(
      "[Unit]\nRequires=restyled-docker-certificates.service\nAfter=restyled-docker-certificates.service\n",
    );
    expect(await verify(join(dir, "docker"), dropIn, "docker.service")).toEqual({
      code: 0,
      stderr: "",
    });
  });

  it("would notice a drop-in requiring a unit that does not exist", async () => {
    const misspelt = "[Unit]\nRequires=restyled-docker-certificate.service\n";
    const result = await verify(join(dir, "bad"), misspelt, "docker.service");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("restyled-docker-certificate.service not found");
  });
});
