import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type CertificateSet, createCertificates } from "./create-certificates.js";
import { OutputError } from "./errors.js";
import { writeCertificates } from "./write-certificates.js";

const EXPECTED_FILES = [
  "ca.pem",
  "client",
  "client/ca.pem",
  "client/cert.pem",
  "client/key.pem",
  "client_cert.pem",
  "client_key.pem",
  "server_cert.pem",
  "server_key.pem",
];

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.sort();
}

async function snapshot(dir: string) {
  const files = await listFiles(dir);
  return Promise.all(
    files.map(async (name) => {
      const info = await stat(join(dir, name));
      return {
        name,
        mtime: info.mtimeMs,
        body: info.isFile() ? await readFile(join(dir, name), "utf8") : "",
      };
    }),
  );
}

describe("writeCertificates", () => {
  let set: CertificateSet;
  let other: CertificateSet;
  beforeAll(async () => {
    [set, other] = await Promise.all([
      createCertificates({ hosts: ["localhost"], keySize: 2048 }),
      createCertificates({ hosts: ["localhost"], keySize: 2048 }),
    ]);
  });
  const freshDir = () => mkdtemp(join(tmpdir(), "init-certificates-test-"));

  it("writes the layout with keys 0600 and certificates 0644", async () => {
    const dir = join(await freshDir(), "certs");
    const written = await writeCertificates(dir, set);
    expect(await listFiles(dir)).toEqual(EXPECTED_FILES);
    for (const file of written) {
      const mode = (await stat(file.path)).mode & 0o777;
      expect(mode).toBe(file.path.endsWith("key.pem") ? 0o600 : 0o644);
    }
    expect(await readFile(join(dir, "client/cert.pem"), "utf8")).toBe(set.client.cert);
    expect(await readFile(join(dir, "client/ca.pem"), "utf8")).toBe(set.ca.cert);
  });

  it("writes the CA key only when asked, 0600", async () => {
    const dir = await freshDir();
    await writeCertificates(dir, set, { writeCaKey: true });
    expect((await stat(join(dir, "ca-key.pem"))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, "ca-key.pem"), "utf8")).toBe(set.ca.key);
  });

  it("changes nothing and names the files when they exist without force", async () => {
    const dir = await freshDir();
    await writeCertificates(dir, set);
    const before = await snapshot(dir);
    await expect(writeCertificates(dir, other)).rejects.toThrow(
      /already holds ca\.pem, server_cert\.pem.*; pass --force to replace them/,
    );
    expect(await snapshot(dir)).toEqual(before);
  });

  it("refuses when only one file of a set is there", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "server_key.pem"), "precious");
    await expect(writeCertificates(dir, set)).rejects.toThrow(/already holds server_key\.pem;/);
    expect(await readFile(join(dir, "server_key.pem"), "utf8")).toBe("precious");
    expect(await listFiles(dir)).toEqual(["server_key.pem"]);
  });

  it("replaces every file with force and removes the replaced CA's key", async () => {
    const dir = await freshDir();
    await writeCertificates(dir, set, { writeCaKey: true });
    await writeCertificates(dir, other, { force: true });
    expect(await readFile(join(dir, "ca.pem"), "utf8")).toBe(other.ca.cert);
    expect(await readFile(join(dir, "client/key.pem"), "utf8")).toBe(other.client.key);
    expect(await listFiles(dir)).toEqual(EXPECTED_FILES);
  });

  it("keeps the CA key when rotating leaves from the same CA", async () => {
    const dir = await freshDir();
    await writeCertificates(dir, set, { writeCaKey: true });
    const rotated = await createCertificates({
      hosts: ["localhost"],
      keySize: 2048,
      ca: { cert: set.ca.cert, key: set.ca.key ?? "" },
    });
    await writeCertificates(dir, rotated, { force: true });
    expect(await readFile(join(dir, "ca-key.pem"), "utf8")).toBe(set.ca.key);
    expect(await readFile(join(dir, "server_cert.pem"), "utf8")).toBe(rotated.server.cert);
  });

  it("fails with the reason when the folder cannot be made", async () => {
    const parent = await freshDir();
    await writeFile(join(parent, "a-file"), "");
    const error = await writeCertificates(join(parent, "a-file", "certs"), set).catch((e) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect(error.message).toMatch(/^cannot write to .*a-file\/certs: ENOTDIR$/);
    expect(await listFiles(parent)).toEqual(["a-file"]);
  });

  it("writes nothing when aborted before the files are put in place", async () => {
    const dir = await freshDir();
    await expect(writeCertificates(dir, set, { signal: AbortSignal.abort() })).rejects.toThrow();
    expect(await listFiles(dir)).toEqual([]);
  });
});
