import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type HttpStandIn, startHttpStandIn } from "@restyled/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { renderPart, runPart, userDataPart } from "./user-data.js";

// Runs the script the machines' boot unit (restyled-docker-certificates.service)
// runs before dockerd, for real: bash, curl, and the workspace's built
// init-certificates. Stand-ins: the instance metadata service (IMDSv2, below)
// and the certificate folder (a temporary one). openssl judges the result.
const INIT_CERTIFICATES = fileURLToPath(
  new URL("../node_modules/@restyled/init-certificates/dist/bin.js", import.meta.url),
);
const TOKEN = "imds-token-for-this-test";

/** IMDSv2 as EC2 answers it: a token by PUT, then metadata only with that token. */
function imdsHandler(state: { hostname: string | undefined }) {
  return startHttpStandIn((request, response) => {
    if (request.method === "PUT" && request.url === "/latest/api/token") {
      const ttl = Number(request.headers["x-aws-ec2-metadata-token-ttl-seconds"]);
      if (!(ttl >= 1 && ttl <= 21600)) {
        response.writeHead(400).end();
        return;
      }
      response.writeHead(200, { "content-type": "text/plain" }).end(TOKEN);
      return;
    }
    if (request.headers["x-aws-ec2-metadata-token"] !== TOKEN) {
      response.writeHead(401).end();
      return;
    }
    if (request.method === "GET" && request.url === "/latest/meta-data/public-hostname") {
      if (state.hostname === undefined) response.writeHead(404).end();
      else response.writeHead(200, { "content-type": "text/plain" }).end(state.hostname);
      return;
    }
    response.writeHead(404).end();
  });
}

const imdsState: { hostname: string | undefined } = { hostname: undefined };
let imds: HttpStandIn;
let part = "";
beforeAll(async () => {
  expect(existsSync(INIT_CERTIFICATES), `${INIT_CERTIFICATES}: build init-certificates`).toBe(true);
  part = await userDataPart("docker-certificates");
  imds = await imdsHandler(imdsState);
});
afterAll(() => imds?.close());

let work = "";
afterEach(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  work = "";
});

/** The boot script as a machine with MaxInstanceLifetime `lifetime` runs it. */
async function bootScript(lifetime = "1209600") {
  // The installed command is `init-certificates` on PATH; here, the built bin.
  const command = join(work, "init-certificates");
  await writeFile(command, `#!/bin/sh\nexec "${process.execPath}" "${INIT_CERTIFICATES}" "$@"\n`);
  await chmod(command, 0o755);
  return renderPart(part, {
    variables: { MaxInstanceLifetime: lifetime },
    assign: {
      imds_url: `${imds.url}/latest`,
      cert_dir: join(work, "certs"),
      init_certificates: command,
    },
  });
}

const boot = async (lifetime?: string) => runPart(await bootScript(lifetime), join(work, "tmp"));

const FILES = ["ca.pem", "server_cert.pem", "server_key.pem", "client/cert.pem", "client/key.pem"];
const contents = async () =>
  Object.fromEntries(
    await Promise.all(FILES.map(async (f) => [f, await readFile(join(work, "certs", f), "utf8")])),
  );

/** openssl's verdict: the server certificate chains to ca.pem and names `host`. */
function serverCertificateNames(host: string): boolean {
  const certs = join(work, "certs");
  const chain = execFileSync(
    "openssl",
    [
      "verify",
      "-purpose",
      "sslserver",
      "-CAfile",
      join(certs, "ca.pem"),
      join(certs, "server_cert.pem"),
    ],
    { encoding: "utf8" },
  );
  const check = execFileSync(
    "openssl",
    ["x509", "-in", join(certs, "server_cert.pem"), "-noout", "-checkhost", host],
    { encoding: "utf8" },
  );
  return chain.endsWith(": OK\n") && check.includes("does match certificate");
}

const logMessages = (stderr: string) =>
  stderr
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => (JSON.parse(line) as { msg: string }).msg);

describe("the machines' per-boot Docker certificates", () => {
  it("issues a set for the public host name IMDSv2 gives", async () => {
    work = await mkdtemp(join(tmpdir(), "boot-certificates-"));
    imdsState.hostname = "ec2-198-51-100-1.compute-1.amazonaws.com";
    const seen = imds.requests.length;
    const result = await boot();
    expect(result.code).toBe(0);
    expect(logMessages(result.stderr)).toEqual([
      "issuing certificates",
      "generating keys",
      "wrote certificates",
    ]);
    expect(serverCertificateNames("ec2-198-51-100-1.compute-1.amazonaws.com")).toBe(true);
    for (const key of ["server_key.pem", "client/key.pem"]) {
      expect((await stat(join(work, "certs", key))).mode & 0o777).toBe(0o600);
    }
    // A token first, with a TTL, then the metadata read with it.
    const calls = imds.requests.slice(seen);
    expect(calls.map((r) => `${r.method} ${r.url}`)).toEqual([
      "PUT /latest/api/token",
      "GET /latest/meta-data/public-hostname",
    ]);
    expect(calls[1]?.headers["x-aws-ec2-metadata-token"]).toBe(TOKEN);
    expect(result.stderr + result.stdout).not.toContain(TOKEN);
    expect(result.stderr).not.toContain("PRIVATE KEY");
  });

  it("keeps the set at a boot with the same host name (a reboot)", async () => {
    work = await mkdtemp(join(tmpdir(), "boot-certificates-"));
    imdsState.hostname = "ec2-198-51-100-1.compute-1.amazonaws.com";
    expect((await boot()).code).toBe(0);
    const before = await contents();
    const again = await boot();
    expect(again.code).toBe(0);
    expect(logMessages(again.stderr)).toEqual(["kept certificates"]);
    expect(await contents()).toEqual(before);
  });

  it("re-issues at a boot with a new host name (a start from the warm pool)", async () => {
    work = await mkdtemp(join(tmpdir(), "boot-certificates-"));
    imdsState.hostname = "ec2-198-51-100-1.compute-1.amazonaws.com";
    expect((await boot()).code).toBe(0);
    const before = await contents();
    imdsState.hostname = "ec2-203-0-113-7.compute-1.amazonaws.com";
    const moved = await boot();
    expect(moved.code).toBe(0);
    expect(logMessages(moved.stderr)).toEqual([
      "issuing certificates",
      "generating keys",
      "wrote certificates",
    ]);
    expect(serverCertificateNames("ec2-203-0-113-7.compute-1.amazonaws.com")).toBe(true);
    expect(serverCertificateNames("ec2-198-51-100-1.compute-1.amazonaws.com")).toBe(false);
    const after = await contents();
    for (const file of FILES) expect(after[file], file).not.toBe(before[file]);
  });

  it("re-issues a set that would expire within the machine's longest run", async () => {
    work = await mkdtemp(join(tmpdir(), "boot-certificates-"));
    imdsState.hostname = "ec2-198-51-100-1.compute-1.amazonaws.com";
    expect((await boot()).code).toBe(0);
    const before = await contents();
    // 365-day certificates cannot outlast a (hypothetical) 400-day lifetime.
    const renewed = await boot(String(400 * 86400));
    expect(renewed.code).toBe(0);
    expect(logMessages(renewed.stderr)[0]).toBe("issuing certificates");
    expect(renewed.stderr).toMatch(/expires in 36\d days, under --min-days 400/);
    expect((await contents())["server_cert.pem"]).not.toBe(before["server_cert.pem"]);
  });

  it("fails, writing nothing, when the instance has no public host name", async () => {
    work = await mkdtemp(join(tmpdir(), "boot-certificates-"));
    imdsState.hostname = undefined;
    const result = await boot();
    expect(result.code).not.toBe(0);
    expect(existsSync(join(work, "certs"))).toBe(false);
    expect(await readdir(join(work, "tmp"))).toEqual([]);
  });
});
