import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createCertificates } from "./create-certificates.js";
import { InputError, UsageError } from "./errors.js";

const now = new Date("2026-06-01T12:00:00Z");

describe("createCertificates", async () => {
  const set = await createCertificates({
    hosts: ["docker.example"],
    ips: ["10.1.2.3"],
    days: 30,
    keySize: 2048,
    now,
  });
  const ca = new X509Certificate(set.ca.cert);
  const server = new X509Certificate(set.server.cert);
  const client = new X509Certificate(set.client.cert);

  it("signs the server and client certificates with the new CA", () => {
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(server.checkIssued(ca)).toBe(true);
  });

  it("gives the server every name plus localhost and 127.0.0.1", () => {
    expect(server.subjectAltName).toBe(
      "DNS:docker.example, DNS:localhost, IP Address:10.1.2.3, IP Address:127.0.0.1",
    );
    expect(server.checkHost("docker.example")).toBe("docker.example");
    expect(server.checkIP("10.1.2.3")).toBe("10.1.2.3");
  });

  it("makes a server certificate valid for a host given with a trailing dot", async () => {
    const dotted = await createCertificates({ hosts: ["docker.example."], keySize: 2048, now });
    const certificate = new X509Certificate(dotted.server.cert);
    expect(certificate.checkHost("docker.example")).toBe("docker.example");
  });

  it("limits each certificate to its purpose", () => {
    expect(server.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
    expect(client.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
    expect(server.ca).toBe(false);
    expect(client.ca).toBe(false);
  });

  it("backdates notBefore for clock skew and ends after the days asked for", () => {
    expect(new Date(server.validFrom).getTime()).toBe(
      now.getTime() - 5 * 60 * 1000 - (now.getTime() % 1000),
    );
    expect(new Date(server.validTo).toISOString()).toBe("2026-07-01T12:00:00.000Z");
  });

  it("uses random 128-bit serials", () => {
    const serials = [ca, server, client].map((c) => c.serialNumber);
    expect(new Set(serials).size).toBe(3);
    for (const serial of serials) expect(serial.length).toBeGreaterThanOrEqual(30);
  });

  it("returns the new CA's key and keys that match their certificates", async () => {
    const { createPrivateKey } = await import("node:crypto");
    expect(ca.checkPrivateKey(createPrivateKey(set.ca.key ?? ""))).toBe(true);
    expect(server.checkPrivateKey(createPrivateKey(set.server.key))).toBe(true);
    expect(client.checkPrivateKey(createPrivateKey(set.client.key))).toBe(true);
  });

  it("issues new leaves from an existing CA without returning its key", async () => {
    const rotated = await createCertificates({
      hosts: ["docker.example"],
      days: 10,
      keySize: 2048,
      now,
      ca: { cert: set.ca.cert, key: set.ca.key ?? "" },
    });
    expect(rotated.ca).toEqual({ cert: set.ca.cert });
    expect(new X509Certificate(rotated.server.cert).verify(ca.publicKey)).toBe(true);
    expect(rotated.server.cert).not.toBe(set.server.cert);
  });

  it("refuses a CA key that belongs to another certificate", async () => {
    const other = await createCertificates({ hosts: ["other"], keySize: 2048, now });
    await expect(
      createCertificates({
        hosts: ["x"],
        keySize: 2048,
        now,
        ca: {
          cert: set.ca.cert,
          key: other.ca.key ?? "",
          source: "ca.pem",
          keySource: "other-key.pem",
        },
      }),
    ).rejects.toThrow(
      new InputError(
        "key mismatch: other-key.pem is not the private key of ca.pem (check --ca-key)",
      ),
    );
  });

  it("stops at once when its signal aborts during key generation", async () => {
    const controller = new AbortController();
    const pending = createCertificates({ hosts: ["x"], keySize: 4096, signal: controller.signal });
    controller.abort(Object.assign(new Error("stopped by SIGINT"), { name: "AbortError" }));
    await expect(pending).rejects.toThrow("stopped by SIGINT");
  });

  it("refuses a leaf certificate as a CA", async () => {
    await expect(
      createCertificates({
        hosts: ["x"],
        keySize: 2048,
        now,
        ca: { cert: set.server.cert, key: set.server.key },
      }),
    ).rejects.toThrow(/not a CA/);
  });

  it("makes a CA that outlives its leaves, ten years by default", () => {
    expect(new Date(ca.validTo).toISOString()).toBe("2036-05-29T12:00:00.000Z");
  });

  it("refuses leaves that would outlive their CA", async () => {
    const shortCa = await createCertificates({
      hosts: ["x"],
      days: 40,
      caDays: 40,
      keySize: 2048,
      now,
    });
    const ca = { cert: shortCa.ca.cert, key: shortCa.ca.key ?? "" };
    await expect(
      createCertificates({ hosts: ["x"], days: 60, keySize: 2048, now, ca }),
    ).rejects.toThrow(
      new UsageError(
        "the CA certificate expires on 2026-07-11, before the certificates asked for; lower --days or make a new CA",
      ),
    );
  });

  it("refuses a CA shorter-lived than its leaves", async () => {
    await expect(createCertificates({ hosts: ["x"], days: 60, caDays: 30 })).rejects.toThrow(
      "--ca-days (30) must not be less than --days (60)",
    );
  });

  it("refuses an encrypted CA key with the command that decrypts it", async () => {
    const { createPrivateKey } = await import("node:crypto");
    const encrypted = createPrivateKey(set.ca.key ?? "")
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pass" })
      .toString();
    await expect(
      createCertificates({
        hosts: ["x"],
        keySize: 2048,
        now,
        ca: { cert: set.ca.cert, key: encrypted, source: "ca.pem", keySource: "ca-key.pem" },
      }),
    ).rejects.toThrow(
      "ca-key.pem is encrypted; decrypt it first (openssl pkey -in ca-key.pem -out ca-key-decrypted.pem)",
    );
  });

  it("needs at least one host name", async () => {
    await expect(createCertificates({ hosts: [] })).rejects.toThrow(UsageError);
  });
});
