import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { readClientCertificates } from "./client.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-certs-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const pem = (kind: string) => `-----BEGIN ${kind}-----\nAAAA\n-----END ${kind}-----\n`;

describe("readClientCertificates", () => {
  it("reads ca.pem, cert.pem and key.pem", async () => {
    await writeFile(join(dir, "ca.pem"), pem("CERTIFICATE"));
    await writeFile(join(dir, "cert.pem"), pem("CERTIFICATE"));
    await writeFile(join(dir, "key.pem"), pem("PRIVATE KEY"), { mode: 0o600 });
    const certificates = await readClientCertificates(dir);
    expect(certificates.key).toContain("BEGIN PRIVATE KEY");
  });

  it("names the missing file and the flag, and touches nothing", async () => {
    await writeFile(join(dir, "ca.pem"), pem("CERTIFICATE"));
    await writeFile(join(dir, "cert.pem"), pem("CERTIFICATE"));
    const error = await readClientCertificates(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(
      `--cert-path (DOCKER_CERT_PATH): cannot read a PEM key.pem in ${dir}`,
    );
    expect((await readdir(dir)).sort()).toEqual(["ca.pem", "cert.pem"]);
  });

  it("rejects a file that is not PEM without echoing its content", async () => {
    await writeFile(join(dir, "ca.pem"), pem("CERTIFICATE"));
    await writeFile(join(dir, "cert.pem"), "secret-looking garbage");
    await writeFile(join(dir, "key.pem"), pem("PRIVATE KEY"));
    const error = await readClientCertificates(dir).catch((e: unknown) => e);
    expect((error as Error).message).toContain("cannot read a PEM cert.pem");
    expect((error as Error).message).toContain("not PEM");
    expect((error as Error).message).not.toContain("garbage");
  });
});
