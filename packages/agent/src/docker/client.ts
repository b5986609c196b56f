import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, DaemonUnreachableError } from "../errors.js";
import { DockerEngineClient } from "./engine-api.js";

/** The client certificate folder's contents (`DOCKER_CERT_PATH`). */
export interface ClientCertificates {
  ca: string;
  cert: string;
  key: string;
}

/** A restyler container in flight: created (about to start) or running. */
export interface Restyler {
  id: string;
  jobId: string | undefined;
  state?: "created" | "running";
  /** When the container was created (epoch ms), if known. */
  createdAt?: number;
}

/** Reads `ca.pem`, `cert.pem` and `key.pem`, naming the one that is missing. */
export async function readClientCertificates(certPath: string): Promise<ClientCertificates> {
  const read = async (name: string) => {
    try {
      const text = await readFile(join(certPath, name), "utf8");
      if (!text.includes("-----BEGIN")) throw new Error("not PEM");
      return text;
    } catch (error) {
      throw new ConfigError(
        `--cert-path (DOCKER_CERT_PATH): cannot read a PEM ${name} in ${certPath} (${(error as Error).message})`,
        { cause: error },
      );
    }
  };
  // One after the other, so the error always names the first missing file.
  const ca = await read("ca.pem");
  const cert = await read("cert.pem");
  const key = await read("key.pem");
  return { ca, cert, key };
}

/**
 * A Docker Engine API client for `tcp://host:port` over mutual TLS, verifying
 * the daemon's certificate; every call but the event stream ends within `timeoutMs`.
 */
export function createDockerClient(
  dockerHost: string,
  certificates: ClientCertificates,
  timeoutMs = 10_000,
): DockerEngineClient {
  const url = new URL(dockerHost.replace(/^tcp:/, "https:"));
  // 2376: Docker's TLS port, as dockerode defaulted.
  if (url.port === "") url.port = "2376";
  return new DockerEngineClient({ baseUrl: url, certificates, timeoutMs });
}

/** Pings the daemon; throws `DaemonUnreachableError` with the reason. */
export async function checkDaemon(docker: DockerEngineClient, dockerHost: string): Promise<void> {
  try {
    await docker.ping();
  } catch (error) {
    throw new DaemonUnreachableError(
      `the Docker daemon at ${dockerHost} did not answer over mutual TLS: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Containers labelled `restyler` that are running or created but not yet
 * started (the moment between `docker run`'s create and start): the machine's
 * in-flight jobs.
 */
export async function listRestylers(docker: DockerEngineClient): Promise<Restyler[]> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: ["restyler"], status: ["created", "running", "restarting", "paused"] },
  });
  return containers.map((c) => ({
    id: c.Id,
    jobId: c.Labels?.["job-id"],
    state: c.State === "created" ? "created" : "running",
    createdAt: c.Created * 1000,
  }));
}

/**
 * A restyler container created but never started longer ago than this is the
 * leftover of a failed `docker run`, not a job about to start: counting it
 * would hold every drain until its timeout (and housekeeping removes it).
 */
export const CREATED_STALE_MS = 5 * 60_000;

/** Whether `restyler` is such a leftover. */
export function isStaleCreated(restyler: Restyler, now = Date.now()): boolean {
  return (
    restyler.state === "created" &&
    restyler.createdAt !== undefined &&
    now - restyler.createdAt >= CREATED_STALE_MS
  );
}
