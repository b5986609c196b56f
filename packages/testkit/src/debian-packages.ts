import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface Requirement {
  /** A file the package provides. */
  path: string;
  /** The Debian package that provides it. */
  debianPackage: string;
}

export const REDIS_SERVER: Requirement = {
  path: "/usr/bin/redis-server",
  debianPackage: "redis-server",
};
export const DOCKERD: Requirement = { path: "/usr/sbin/dockerd", debianPackage: "docker.io" };
export const BUSYBOX_STATIC: Requirement = {
  path: "/bin/busybox",
  debianPackage: "busybox-static",
};

/**
 * Installs what is missing with apt-get when running as root; elsewhere
 * fails with the one command that would fix it.
 */
export function ensureDebianPackages(requirements: Requirement[]): void {
  const missing = requirements.filter((requirement) => !existsSync(requirement.path));
  if (missing.length === 0) return;
  const names = [...new Set(missing.map((requirement) => requirement.debianPackage))];
  if (process.getuid?.() !== 0) {
    throw new Error(
      `These tests need ${names.join(", ")}. Install them with: sudo apt-get install -y ${names.join(" ")}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // flock keeps two test processes from fighting over dpkg's lock.
  const apt = (args: string[]) =>
    execFileSync("flock", ["/tmp/restyled-testkit-apt.lock", "apt-get", ...args], {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
  apt(["update", "-qq"]);
  apt(["install", "-y", "-qq", "--no-install-recommends", ...names]);
  for (const requirement of missing) {
    if (!existsSync(requirement.path)) {
      throw new Error(
        `apt-get installed ${requirement.debianPackage} but ${requirement.path} is still missing`,
      );
    }
  }
}
