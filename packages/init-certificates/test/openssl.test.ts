import { execFileSync } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createCertificates, writeCertificates } from "../src/index.js";

// Debian's openssl is the independent judge of what the package writes.
const openssl = (...args: string[]) => execFileSync("openssl", args, { encoding: "utf8" });

describe("certificates as openssl sees them", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "init-certificates-openssl-"));
    const set = await createCertificates({
      hosts: ["docker.example"],
      ips: ["192.0.2.10"],
      keySize: 2048,
    });
    await writeCertificates(dir, set, { writeCaKey: true });
  });
  const text = (file: string) => openssl("x509", "-in", join(dir, file), "-noout", "-text");

  it("chains the server and client certificates to the CA", () => {
    expect(
      openssl(
        "verify",
        "-CAfile",
        join(dir, "ca.pem"),
        join(dir, "server_cert.pem"),
        join(dir, "client_cert.pem"),
      ),
    ).toBe(`${join(dir, "server_cert.pem")}: OK\n${join(dir, "client_cert.pem")}: OK\n`);
    expect(
      openssl(
        "verify",
        "-purpose",
        "sslserver",
        "-CAfile",
        join(dir, "ca.pem"),
        join(dir, "server_cert.pem"),
      ),
    ).toContain("OK");
    expect(
      openssl(
        "verify",
        "-purpose",
        "sslclient",
        "-CAfile",
        join(dir, "ca.pem"),
        join(dir, "client/cert.pem"),
      ),
    ).toContain("OK");
  });

  it("refuses the server certificate as a client and the client as a server", () => {
    expect(() =>
      execFileSync(
        "openssl",
        [
          "verify",
          "-purpose",
          "sslclient",
          "-CAfile",
          join(dir, "ca.pem"),
          join(dir, "server_cert.pem"),
        ],
        { stdio: "pipe" },
      ),
    ).toThrow(/unsuitable certificate purpose/);
    expect(() =>
      execFileSync(
        "openssl",
        [
          "verify",
          "-purpose",
          "sslserver",
          "-CAfile",
          join(dir, "ca.pem"),
          join(dir, "client_cert.pem"),
        ],
        { stdio: "pipe" },
      ),
    ).toThrow(/unsuitable certificate purpose/);
  });

  it("makes a CA limited to signing leaf certificates", () => {
    const ca = text("ca.pem");
    expect(ca).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE, pathlen:0/);
    expect(ca).toMatch(/X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign/);
    expect(ca).toContain("Signature Algorithm: sha256WithRSAEncryption");
  });

  it("names every host and IP in the server certificate", () => {
    const server = text("server_cert.pem");
    expect(server).toMatch(
      /X509v3 Subject Alternative Name: \n\s+DNS:docker.example, DNS:localhost, IP Address:192.0.2.10, IP Address:127.0.0.1/,
    );
    expect(server).toMatch(/X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication\n/);
    expect(server).toMatch(/Public-Key: \(2048 bit\)/);
    expect(server).toMatch(/X509v3 Authority Key Identifier: \n/);
  });

  it("gives the client certificate client authentication only", () => {
    expect(text("client/cert.pem")).toMatch(
      /X509v3 Extended Key Usage: \n\s+TLS Web Client Authentication\n/,
    );
  });

  it("writes keys openssl can read and that match their certificates", () => {
    for (const [cert, key] of [
      ["server_cert.pem", "server_key.pem"],
      ["client/cert.pem", "client/key.pem"],
      ["ca.pem", "ca-key.pem"],
    ] as const) {
      const fromCert = openssl("x509", "-in", join(dir, cert), "-noout", "-pubkey");
      const fromKey = openssl("pkey", "-in", join(dir, key), "-pubout");
      expect(fromKey).toBe(fromCert);
    }
  });
});
