import { execFileSync } from "node:child_process";
import { accessSync, closeSync, constants, openSync, readdirSync, readSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface Requirement {
  /** The program the tests run, looked up on PATH and in the sbin folders. */
  command: string;
  /** The Debian package that provides it. */
  debianPackage: string;
  /** A further test the found program must pass. */
  accept?: (path: string) => boolean;
  /** Folders to look in before PATH, for programs Debian keeps off it. */
  searchDirs?: () => string[];
}

export const REDIS_SERVER: Requirement = { command: "redis-server", debianPackage: "redis-server" };
export const DOCKERD: Requirement = { command: "dockerd", debianPackage: "docker.io" };
export const OPENSSL: Requirement = { command: "openssl", debianPackage: "openssl" };
// Debian keeps the server programs in a folder per major version, off PATH.
export const POSTGRES: Requirement = {
  command: "postgres",
  debianPackage: "postgresql",
  searchDirs: () => postgresBinDirs(),
};
// The image needs a statically linked busybox: no libc is copied into it.
export const BUSYBOX_STATIC: Requirement = {
  command: "busybox",
  debianPackage: "busybox-static",
  accept: isStaticallyLinked,
};

/** A dynamically linked ELF names its loader (PT_INTERP) near the start of the file. */
function isStaticallyLinked(path: string): boolean {
  const head = Buffer.alloc(4096);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return !head.includes("/ld-linux") && !head.includes("/ld-musl");
}

const SEARCH_PATH = [
  ...(process.env.PATH ?? "").split(delimiter),
  "/usr/sbin",
  "/sbin",
  "/usr/bin",
  "/bin",
];

/** `/usr/lib/postgresql/N/bin`, newest major first. */
function postgresBinDirs(): string[] {
  let majors: string[] = [];
  try {
    majors = readdirSync("/usr/lib/postgresql").filter((name) => /^\d+$/.test(name));
  } catch {}
  return majors
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => `/usr/lib/postgresql/${major}/bin`);
}

/** The full path of a requirement's program, or undefined. */
export function findExecutable(requirement: Requirement): string | undefined {
  for (const dir of [...(requirement.searchDirs?.() ?? []), ...SEARCH_PATH]) {
    if (!dir) continue;
    const candidate = join(dir, requirement.command);
    try {
      accessSync(candidate, constants.X_OK);
      if (requirement.accept && !requirement.accept(candidate)) continue;
      return candidate;
    } catch {}
  }
  return undefined;
}

/**
 * Returns the path of each requirement's program, installing what is missing
 * with apt-get when running as root; elsewhere fails with the one command
 * that would fix it.
 */
export function ensureDebianPackages(
  requirements: Requirement[],
  options: { say?: (line: string) => void } = {},
): string[] {
  const missing = requirements.filter((requirement) => !findExecutable(requirement));
  if (missing.length > 0)
    install(missing, options.say ?? ((line) => process.stderr.write(`${line}\n`)));
  return requirements.map((requirement) => {
    const path = findExecutable(requirement);
    if (!path)
      throw new Error(
        `${requirement.debianPackage} is installed but ${requirement.command} is not found`,
      );
    return path;
  });
}

function install(missing: Requirement[], say: (line: string) => void): void {
  const names = [...new Set(missing.map((requirement) => requirement.debianPackage))];
  if (process.getuid?.() !== 0) {
    throw new Error(
      `These tests need ${names.join(", ")}. Install them with: sudo apt-get install -y ${names.join(" ")}`,
    );
  }
  for (const name of names) {
    const commands = missing.filter((r) => r.debianPackage === name).map((r) => r.command);
    say(`installing Debian package ${name} (for ${commands.join(", ")})`);
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
}
