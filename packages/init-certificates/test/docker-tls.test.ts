import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectOverTls } from "@restyled/testkit";
import Docker from "dockerode";
import { describe, expect, inject, it } from "vitest";
import { createCertificates, writeCertificates } from "../src/index.js";

// The daemon was started by test/global-setup.ts with this package's server files.
const docker = inject("docker");

async function clientFor(certPath: string) {
  const [ca, cert, key] = await Promise.all(
    ["ca.pem", "cert.pem", "key.pem"].map((name) => readFile(join(certPath, name))),
  );
  return new Docker({
    host: "localhost",
    port: docker.port,
    protocol: "https",
    ca,
    cert,
    key,
    timeout: 10_000,
  });
}

describe("a real dockerd secured with init-certificates", () => {
  it("answers the Engine API over mutual TLS with the client/ folder", async () => {
    const client = await connectOverTls(docker);
    const info = await client.info();
    expect(info.ServerVersion).toMatch(/^\d+\./);
    expect(await (await clientFor(docker.certPath)).version()).toHaveProperty("ApiVersion");
  });

  it("accepts a client certificate rotated from the same CA", async () => {
    const dir = await mkdtemp(join(tmpdir(), "init-certificates-rotated-"));
    const ca = {
      cert: await readFile(join(docker.certDir, "ca.pem"), "utf8"),
      key: await readFile(join(docker.certDir, "ca-key.pem"), "utf8"),
    };
    await writeCertificates(
      dir,
      await createCertificates({ hosts: ["localhost"], keySize: 2048, ca }),
    );
    const client = await clientFor(join(dir, "client"));
    expect((await client.ping()).toString()).toBe("OK");
  });

  it("refuses a client certificate from another CA", async () => {
    const dir = await mkdtemp(join(tmpdir(), "init-certificates-stranger-"));
    await writeCertificates(dir, await createCertificates({ hosts: ["localhost"], keySize: 2048 }));
    const stranger = await clientFor(join(dir, "client"));
    // Trust the daemon (so only the client side can fail), present the stranger's certificate.
    (stranger.modem as unknown as { ca: Buffer }).ca = await readFile(
      join(docker.certPath, "ca.pem"),
    );
    await expect(stranger.ping()).rejects.toThrow(
      /bad certificate|unknown ca|certificate required|socket hang up|ECONNRESET/i,
    );
  });

  it("refuses a client without a certificate", async () => {
    const ca = await readFile(join(docker.certPath, "ca.pem"));
    const anonymous = new Docker({
      host: "localhost",
      port: docker.port,
      protocol: "https",
      ca,
      timeout: 10_000,
    });
    await expect(anonymous.ping()).rejects.toThrow(
      /bad certificate|certificate required|socket hang up|ECONNRESET/i,
    );
  });

  it("is not trusted by a client that expects another CA", async () => {
    const dir = await mkdtemp(join(tmpdir(), "init-certificates-other-ca-"));
    await writeCertificates(dir, await createCertificates({ hosts: ["localhost"], keySize: 2048 }));
    const client = await clientFor(join(dir, "client"));
    await expect(client.ping()).rejects.toThrow(
      /self[- ]signed certificate in certificate chain|unable to verify/i,
    );
  });
});
