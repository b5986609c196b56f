import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Docker from "dockerode";
import { importBusyboxImage } from "./busybox-image.js";
import { BUSYBOX_STATIC, DOCKERD, ensureDebianPackages } from "./debian-packages.js";
import { findFreePort } from "./free-port.js";
import { superviseProcess } from "./supervised-process.js";
import { waitFor } from "./wait-for.js";

/**
 * Writes a certificate set in init-certificates' layout (`ca.pem`,
 * `server_cert.pem`, `server_key.pem` and `client/`) into `dir`, for the
 * server names `localhost` and `127.0.0.1`. The caller provides it so the
 * testkit does not depend on the package it helps to test.
 */
export type IssueCertificates = (dir: string) => Promise<void>;

export interface DockerDaemon {
  /** `tcp://127.0.0.1:PORT`, mutual TLS required. */
  host: string;
  port: number;
  /** `DOCKER_CERT_PATH`: `ca.pem`, `cert.pem`, `key.pem` of a trusted client. */
  certPath: string;
  /** The whole init-certificates output the daemon was started with. */
  certDir: string;
  /** The daemon's private unix socket, for set-up and clean-up only. */
  socketPath: string;
  /** A local image (busybox) that containers can run with `--network none`. */
  image: string;
  stop(): Promise<void>;
}

export interface StartDockerdOptions {
  issueCertificates: IssueCertificates;
}

/**
 * Starts a real dockerd listening on 127.0.0.1 with `--tlsverify`, its own
 * data and exec roots (short paths: unix sockets live there), vfs storage and
 * no networking of its own, and imports the busybox test image.
 */
export async function startDockerd(options: StartDockerdOptions): Promise<DockerDaemon> {
  const [dockerd, busybox] = ensureDebianPackages([DOCKERD, BUSYBOX_STATIC]) as [string, string];
  const dir = await mkdtemp("/tmp/rd-");
  const certDir = join(dir, "certs");
  await options.issueCertificates(certDir);
  const port = await findFreePort();
  const socketPath = join(dir, "docker.sock");
  const logFile = join(dir, "dockerd.log");
  const configFile = join(dir, "daemon.json");
  await writeFile(configFile, "{}\n");
  const daemon = superviseProcess({
    name: "dockerd",
    command: dockerd,
    args: [
      `--host=tcp://127.0.0.1:${port}`,
      `--host=unix://${socketPath}`,
      "--tlsverify",
      `--tlscacert=${join(certDir, "ca.pem")}`,
      `--tlscert=${join(certDir, "server_cert.pem")}`,
      `--tlskey=${join(certDir, "server_key.pem")}`,
      `--config-file=${configFile}`,
      `--data-root=${join(dir, "data")}`,
      `--exec-root=${join(dir, "exec")}`,
      `--pidfile=${join(dir, "docker.pid")}`,
      // Where a system containerd runs (CI runners), keep out of its default namespaces.
      `--containerd-namespace=restyled-testkit-${port}`,
      `--containerd-plugins-namespace=restyled-testkit-plugins-${port}`,
      "--storage-driver=vfs",
      "--iptables=false",
      "--bridge=none",
    ],
    logFile,
  });
  const local = new Docker({ socketPath });

  const stop = async () => {
    // Kill containers first: dockerd would otherwise wait out each one's stop timeout.
    if (!daemon.exited) {
      const containers = await local.listContainers({ all: true }).catch(() => []);
      await Promise.all(
        containers.map((c) =>
          local
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      );
    }
    await daemon.stop();
    // The daemon unmounts its namespaces as it exits; a mount can linger for a moment.
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };

  try {
    await waitFor(async () => (await local.ping()).toString() === "OK", {
      what: `dockerd on 127.0.0.1:${port}`,
      timeoutMs: 60_000,
      intervalMs: 250,
      gaveUp: () => daemon.exited,
      diagnose: async () => (await readFile(logFile, "utf8").catch(() => "(no log)")).slice(-4000),
    });
    const image = await importBusyboxImage(local, busybox);
    return {
      host: `tcp://127.0.0.1:${port}`,
      port,
      certPath: join(certDir, "client"),
      certDir,
      socketPath,
      image,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A dockerode client for the daemon over mutual TLS, as the Webhooks service connects. */
export async function connectOverTls(
  daemon: Pick<DockerDaemon, "port" | "certPath">,
): Promise<Docker> {
  const [ca, cert, key] = await Promise.all(
    ["ca.pem", "cert.pem", "key.pem"].map((name) => readFile(join(daemon.certPath, name))),
  );
  return new Docker({ host: "127.0.0.1", port: daemon.port, protocol: "https", ca, cert, key });
}
