import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import {
  BUSYBOX_STATIC,
  DOCKERD,
  ensureDebianPackages,
  OPENSSL,
  POSTGRES,
  REDIS_SERVER,
  type Requirement,
} from "./debian-packages.js";
import { type DockerDaemon, type IssueCertificates, startDockerd } from "./dockerd.js";
import { type PostgresServer, startPostgres } from "./postgres.js";
import { type RedisServer, startRedis } from "./redis.js";
import { sharedServicesEnv } from "./shared-services.js";

export interface Needs {
  redis: boolean;
  docker: boolean;
  postgres: boolean;
}

/**
 * What a package's `test/global-setup.ts` asks `defineServices` for, read
 * from its text: the file cannot be imported before the packages are built.
 */
export async function readNeeds(globalSetupFiles: string[]): Promise<Needs> {
  const needs: Needs = { redis: false, docker: false, postgres: false };
  for (const file of globalSetupFiles) {
    const text = await readFile(file, "utf8").catch(() => "");
    if (!text.includes("defineServices(")) continue;
    if (/\bredis\s*:\s*true\b/.test(text)) needs.redis = true;
    if (/\bdocker\s*:\s*\{/.test(text)) needs.docker = true;
    if (/\bpostgres\s*:\s*true\b/.test(text)) needs.postgres = true;
  }
  return needs;
}

/** The Debian packages behind the services in `needs`. */
export function requirementsFor(needs: Needs): Requirement[] {
  return [
    ...(needs.redis ? [REDIS_SERVER, OPENSSL] : []),
    ...(needs.docker ? [DOCKERD, BUSYBOX_STATIC] : []),
    ...(needs.postgres ? [POSTGRES] : []),
  ];
}

export interface RunWithServicesOptions {
  needs: Needs;
  /** Builds what the certificates need; runs while redis and postgres start. */
  build: () => Promise<number>;
  /** Certificates for the shared dockerd (init-certificates' layout). */
  issueCertificates: IssueCertificates;
  /** The test command, run once every service is up, with their coordinates in its env. */
  command: string[];
  say: (line: string) => void;
}

type Running = RedisServer | DockerDaemon | PostgresServer;

/**
 * Installs the prerequisites, starts each needed service once, runs the
 * command with the services' coordinates in its environment, and stops every
 * service at the end: passed, failed, or interrupted (Ctrl-C, SIGTERM). Were
 * this process killed outright, each service's guard stops it (see
 * supervised-process.ts). Resolves to the exit code to leave with.
 */
export async function runWithServices(options: RunWithServicesOptions): Promise<number> {
  const { needs, say } = options;
  ensureDebianPackages(requirementsFor(needs), { say });

  const running: Running[] = [];
  let interrupted: NodeJS.Signals | undefined;
  let child: ReturnType<typeof spawn> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted ??= signal;
    // A terminal's Ctrl-C already reached the child (same process group).
    child?.kill(signal);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  const started = <T extends Running>(service: T, line: string): T => {
    running.push(service);
    say(line);
    return service;
  };

  try {
    // redis and postgres start while the packages build; dockerd needs the
    // built init-certificates for its certificates.
    const [built, redisStart, postgresStart] = await Promise.allSettled([
      options.build(),
      needs.redis
        ? startRedis().then((r) => started(r, `redis-server: ${r.url} (shared by every package)`))
        : undefined,
      needs.postgres
        ? startPostgres({ tls: true }).then((p) =>
            started(p, `postgres: 127.0.0.1:${p.port} (shared by every package)`),
          )
        : undefined,
    ]);
    for (const result of [built, redisStart, postgresStart]) {
      if (result.status === "rejected") throw result.reason;
    }
    const buildCode = built.status === "fulfilled" ? built.value : 1;
    if (buildCode !== 0) return buildCode;
    if (interrupted) return 130;
    const redis = redisStart.status === "fulfilled" ? redisStart.value : undefined;
    const postgres = postgresStart.status === "fulfilled" ? postgresStart.value : undefined;
    let docker: DockerDaemon | undefined;
    if (needs.docker) {
      const daemon = await startDockerd({ issueCertificates: options.issueCertificates });
      docker = started(daemon, `dockerd: ${daemon.host}, mutual TLS (shared by every package)`);
    }
    if (interrupted) return 130;

    const env = {
      ...process.env,
      ...sharedServicesEnv({
        redisUrl: redis?.url,
        postgres: postgres && {
          url: postgres.url,
          port: postgres.port,
          password: postgres.password,
          caFile: postgres.caFile ?? "",
        },
        docker: docker && withoutStop(docker),
      }),
    };
    const [command, ...args] = options.command as [string, ...string[]];
    child = spawn(command, args, { stdio: "inherit", env });
    const code = await new Promise<number>((resolve) => {
      child?.on("error", (error) => {
        say(`cannot run ${command}: ${error.message}`);
        resolve(127);
      });
      child?.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 130 : 1)));
    });
    return interrupted ? 130 : code;
  } finally {
    if (running.length > 0) say(`stopping ${running.map(nameOf).join(", ")}`);
    await Promise.allSettled(running.reverse().map((service) => service.stop()));
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(signal, onSignal);
  }
}

function withoutStop(docker: DockerDaemon) {
  const { stop: _stop, ...provided } = docker;
  return provided;
}

function nameOf(service: Running): string {
  if ("image" in service) return "dockerd";
  if ("user" in service) return "postgres";
  return "redis-server";
}
