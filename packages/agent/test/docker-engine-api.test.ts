import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { createCertificates } from "@restyled/init-certificates";
import {
  connectOverTls,
  type SilentEndpoint,
  settleWithin,
  startSilentEndpoint,
  waitFor,
} from "@restyled/testkit";
import type Docker from "dockerode";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type ClientCertificates,
  checkDaemon,
  createDockerClient,
  readClientCertificates,
} from "../src/docker/client.js";
import type { DockerEngineClient } from "../src/docker/engine-api.js";
import { followDockerEvents } from "../src/docker/events.js";
import type { DockerEvent } from "../src/drain/restyler-tracker.js";
import { DaemonUnreachableError, DockerApiError } from "../src/errors.js";
import { createAgentLogger } from "../src/logger.js";
import { removeTestContainers } from "./harness.js";

// The agent's own Docker Engine API client against the shared TLS dockerd,
// a loopback endpoint that never answers, and a TLS stand-in for answers a
// healthy dockerd does not give.
const testId = randomBytes(4).toString("hex");
let webhooks: Docker;
let certificates: ClientCertificates;
let host: string;
const clients: DockerEngineClient[] = [];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  const daemon = inject("docker");
  webhooks = await connectOverTls(daemon);
  certificates = await readClientCertificates(daemon.certPath);
  host = `tcp://127.0.0.1:${daemon.port}`;
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const close of closers.splice(0)) await close();
});
afterAll(() => removeTestContainers(webhooks, testId));

function client(
  dockerHost: string,
  options: { certs?: ClientCertificates; timeoutMs?: number } = {},
) {
  const created = createDockerClient(dockerHost, options.certs ?? certificates, options.timeoutMs);
  clients.push(created);
  return created;
}

async function silentEndpoint(): Promise<SilentEndpoint> {
  const endpoint = await startSilentEndpoint();
  closers.push(() => endpoint.close());
  return endpoint;
}

const logInto = (lines: Record<string, unknown>[]) =>
  createAgentLogger({ level: "debug", write: (line) => lines.push(JSON.parse(line)) });

describe("the Docker Engine API client over mutual TLS", () => {
  it("pings the daemon and lists its containers with JSON-encoded filters", async () => {
    const docker = client(host);
    await checkDaemon(docker, host);
    const container = await webhooks.createContainer({
      Image: inject("docker").image,
      Cmd: ["true"],
      Labels: { "agent-test": testId, "job-id": "701" },
      HostConfig: { NetworkMode: "none" },
    });
    const listed = await docker.listContainers({
      all: true,
      filters: { label: [`agent-test=${testId}`], status: ["created"] },
    });
    expect(listed.map((c) => [c.Id, c.Labels?.["job-id"], c.State])).toEqual([
      [container.id, "701", "created"],
    ]);
    // Without `all`, a container that never started is not listed.
    expect(await docker.listContainers({ filters: { label: [`agent-test=${testId}`] } })).toEqual(
      [],
    );
  });

  it("refuses a daemon whose certificate the given CA did not sign", async () => {
    const other = await createCertificates({
      hosts: ["localhost"],
      ips: ["127.0.0.1"],
      keySize: 2048,
    });
    const docker = client(host, { certs: { ...certificates, ca: other.ca.cert } });
    const error = await checkDaemon(docker, host).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DaemonUnreachableError);
    expect((error as Error).message).toMatch(
      new RegExp(`^the Docker daemon at ${host} did not answer over mutual TLS: .*certificate`),
    );
  });

  it("surfaces the daemon's status and message when it refuses a call", async () => {
    const error = await client(host)
      .listContainers({ all: true, filters: { colour: ["blue"] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerApiError);
    expect((error as DockerApiError).status).toBe(400);
    expect((error as Error).message).toMatch(
      /^the Docker daemon answered 400 to GET \/containers\/json: invalid filter 'colour'/i,
    );
  });

  it("follows a real container's events, and stops without a reconnect, its stream closed", async () => {
    const docker = client(host);
    const streams: Readable[] = [];
    const getEvents = docker.getEvents.bind(docker);
    docker.getEvents = async (options) => {
      const stream = await getEvents(options);
      streams.push(stream);
      return stream;
    };
    const events: DockerEvent[] = [];
    const lines: Record<string, unknown>[] = [];
    let opened = 0;
    const follow = followDockerEvents({
      docker,
      log: logInto(lines),
      onEvent: (event) => events.push(event),
      onOpen: () => {
        opened += 1;
      },
      retryDelayMs: 60_000,
    });
    await waitFor(async () => opened > 0, { what: "the event stream to open", timeoutMs: 30_000 });
    const container = await webhooks.createContainer({
      Image: inject("docker").image,
      Cmd: ["true"],
      Labels: { restyler: "", "agent-test": testId },
      HostConfig: { NetworkMode: "none" },
    });
    await container.start();
    const actions = () => events.filter((e) => e.Actor?.ID === container.id).map((e) => e.Action);
    await waitFor(async () => actions().includes("die"), {
      what: "the container's die event",
      timeoutMs: 30_000,
    });
    expect(actions()).toEqual(["create", "start", "die"]);

    follow.stop();
    const [stream] = streams;
    if (!stream?.closed) await once(stream!, "close");
    expect(streams).toHaveLength(1);
    expect(opened).toBe(1);
    expect(lines.filter((l) => l.level === "warn")).toEqual([]);
  });

  it("gives up on a daemon that never answers, for calls and for opening the event stream", async () => {
    const silent = await silentEndpoint();
    const docker = client(`tcp://127.0.0.1:${silent.port}`, { timeoutMs: 300 });
    const ping = checkDaemon(docker, `tcp://127.0.0.1:${silent.port}`).catch((e: unknown) => e);
    expect(String(await settleWithin(ping, 60_000))).toContain(
      `did not answer over mutual TLS: no answer within 300 ms`,
    );
    const events = docker.getEvents().catch((e: unknown) => e);
    expect(String(await settleWithin(events, 60_000))).toContain("no answer within 300 ms");
  });

  it("abandons opening the event stream when stopped", async () => {
    const silent = await silentEndpoint();
    // A deadline far beyond the test: only the stop can end the request.
    const docker = client(`tcp://127.0.0.1:${silent.port}`, { timeoutMs: 600_000 });
    const lines: Record<string, unknown>[] = [];
    let opened = 0;
    const getEvents = docker.getEvents.bind(docker);
    let opening: Promise<unknown> | undefined;
    docker.getEvents = (options) => {
      const result = getEvents(options);
      opening = result.catch((e: unknown) => e);
      return result;
    };
    const follow = followDockerEvents({
      docker,
      log: logInto(lines),
      onEvent: () => undefined,
      onOpen: () => {
        opened += 1;
      },
      retryDelayMs: 60_000,
    });
    await waitFor(async () => opening !== undefined, { what: "the open", timeoutMs: 30_000 });
    follow.stop();
    const outcome = await settleWithin(opening!, 60_000);
    expect((outcome as Error).name).toBe("AbortError");
    expect(opened).toBe(0);
    expect(lines.filter((l) => l.level === "warn")).toEqual([]);
  });

  it("fails every call once closed", async () => {
    const docker = client(host);
    await docker.ping();
    docker.close();
    await expect(docker.ping()).rejects.toThrow("the Docker client is closed");
    await expect(docker.getEvents()).rejects.toThrow("the Docker client is closed");
  });
});

describe("the Docker Engine API client against a TLS stand-in", () => {
  let server: Server;
  let standInHost: string;
  let answer: (path: string) => { status: number; body: string };
  let serverTls: { cert: string; key: string; ca: string };

  beforeAll(async () => {
    // The shared daemon's own server certificate, for localhost and 127.0.0.1.
    const certDir = inject("docker").certDir;
    const [cert, key, ca] = await Promise.all(
      ["server_cert.pem", "server_key.pem", "ca.pem"].map((name) =>
        readFile(join(certDir, name), "utf8"),
      ),
    );
    serverTls = { cert: cert!, key: key!, ca: ca! };
    server = createServer({ ...serverTls, requestCert: true }, (req, res) => {
      const { status, body } = answer(req.url ?? "");
      res.writeHead(status, { "Content-Type": "text/plain" }).end(body);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    standInHost = `tcp://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("quotes a body that is not the daemon's JSON, shortened", async () => {
    answer = () => ({ status: 502, body: `<html>${"x".repeat(500)}</html>` });
    const error = await client(standInHost)
      .pruneContainers()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerApiError);
    expect((error as DockerApiError).status).toBe(502);
    expect((error as DockerApiError).exitCode).toBe(69);
    expect((error as Error).message).toBe(
      `the Docker daemon answered 502 to POST /containers/prune: <html>${"x".repeat(194)}`,
    );
  });

  it("rejects an event stream the daemon refuses, with its message", async () => {
    answer = () => ({ status: 500, body: JSON.stringify({ message: "events are off" }) });
    const error = await client(standInHost)
      .getEvents()
      .catch((e: unknown) => e);
    expect((error as DockerApiError).status).toBe(500);
    expect((error as Error).message).toBe(
      "the Docker daemon answered 500 to GET /events: events are off",
    );
  });

  it("refuses a certificate that does not name the address it connects to", async () => {
    // The same trusted certificate (localhost, 127.0.0.1) served on another loopback address.
    const elsewhere = createServer({ ...serverTls, requestCert: true }, (_req, res) =>
      res.end("OK"),
    );
    elsewhere.listen(0, "127.0.0.2");
    await once(elsewhere, "listening");
    closers.push(() => new Promise((resolve) => elsewhere.close(resolve)));
    const port = (elsewhere.address() as { port: number }).port;
    const error = await client(`tcp://127.0.0.2:${port}`)
      .ping()
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /does not match certificate's altnames: IP: 127\.0\.0\.2 is not in the cert's list/,
    );
  });
});
