import { execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";

/** The tag of the tiny image every test container runs. */
export const BUSYBOX_IMAGE = "restyled-testkit/busybox:latest";

const APPLETS = ["sh", "sleep", "echo", "true", "false", "cat", "ls", "env", "kill", "trap"];

/**
 * No registry is reachable here, so the image is imported from a root file
 * system holding Debian's static busybox and a few applet links.
 */
export async function importBusyboxImage(docker: Docker, busyboxPath: string): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), "restyled-busybox-"));
  try {
    const bin = join(work, "rootfs", "bin");
    await mkdir(bin, { recursive: true });
    await mkdir(join(work, "rootfs", "tmp"), { mode: 0o1777 });
    await copyFile(busyboxPath, join(bin, "busybox"));
    for (const applet of APPLETS) await symlink("busybox", join(bin, applet));
    const archive = join(work, "rootfs.tar");
    execFileSync("tar", ["-C", join(work, "rootfs"), "-cf", archive, "."]);
    const [repo, tag] = BUSYBOX_IMAGE.split(":") as [string, string];
    const stream = await docker.importImage(archive, { repo, tag });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve())),
    );
    return BUSYBOX_IMAGE;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
