// --keep-valid as a machine's boot runs it: the built bin, and Debian's
// openssl as the independent judge of what is on disk afterwards.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const freshDir = async () => join(await mkdtemp(join(tmpdir(), "init-certificates-keep-")), "c");
const openssl = (...args: string[]) =>
  execFileSync("openssl", args, { encoding: "utf8", stdio: "pipe" });

const FILES = [
  "ca.pem",
  "server_cert.pem",
  "server_key.pem",
  "client_cert.pem",
  "client_key.pem",
  "client/ca.pem",
  "client/cert.pem",
  "client/key.pem",
];

/** Every file's contents, to tell a kept set from a replaced one. */
const snapshot = async (dir: string) =>
  Object.fromEntries(
    await Promise.all(FILES.map(async (f) => [f, await readFile(join(dir, f), "utf8")])),
  );

const logMessages = (stderr: string) =>
  stderr
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { msg: string; reasons?: string[] });

/** Whether openssl accepts the server certificate for `host`, chained to ca.pem. */
function opensslAccepts(dir: string, host: string): boolean {
  const chain = openssl(
    "verify",
    "-purpose",
    "sslserver",
    "-CAfile",
    join(dir, "ca.pem"),
    join(dir, "server_cert.pem"),
  );
  const names = openssl("x509", "-in", join(dir, "server_cert.pem"), "-noout", "-checkhost", host);
  return chain.endsWith(": OK\n") && names.includes("does match certificate");
}

const issue = (dir: string, ...args: string[]) =>
  runCli(["--keep-valid", "--key-size", "2048", "-o", dir, ...args]);

describe("init-certificates --keep-valid", () => {
  it("issues a set when there is none, then keeps it on the next run", async () => {
    const dir = await freshDir();
    const first = await issue(dir, "-H", "ec2-a.example");
    expect(first.code).toBe(0);
    expect(logMessages(first.stderr).map((l) => l.msg)).toEqual([
      "issuing certificates",
      "generating keys",
      "wrote certificates",
    ]);
    expect(logMessages(first.stderr)[0]?.reasons).toEqual(["no certificates yet"]);
    expect(opensslAccepts(dir, "ec2-a.example")).toBe(true);
    for (const key of ["server_key.pem", "client_key.pem", "client/key.pem"]) {
      expect((await stat(join(dir, key))).mode & 0o777).toBe(0o600);
    }
    const before = await snapshot(dir);

    const second = await issue(dir, "-H", "ec2-a.example", "--json");
    expect(second.code).toBe(0);
    expect(logMessages(second.stderr).map((l) => l.msg)).toEqual(["kept certificates"]);
    expect(JSON.parse(second.stdout)).toMatchObject({
      dir,
      kept: true,
      files: [],
      dnsNames: ["ec2-a.example", "localhost"],
      ipAddresses: ["127.0.0.1"],
    });
    expect(await snapshot(dir)).toEqual(before);
    expect(second.stderr).not.toContain("PRIVATE KEY");
  });

  it("re-issues when the host name changed, and the new set names only the new host", async () => {
    const dir = await freshDir();
    expect((await issue(dir, "-H", "ec2-a.example")).code).toBe(0);
    const before = await snapshot(dir);

    const moved = await issue(dir, "-H", "ec2-b.example", "--json");
    expect(moved.code).toBe(0);
    const logs = logMessages(moved.stderr);
    expect(logs.map((l) => l.msg)).toEqual([
      "issuing certificates",
      "generating keys",
      "wrote certificates",
    ]);
    expect(logs[0]?.reasons?.join("\n")).toContain("server_cert.pem: not valid for ec2-b.example");
    expect(JSON.parse(moved.stdout)).toMatchObject({ kept: false });
    expect(opensslAccepts(dir, "ec2-b.example")).toBe(true);
    expect(opensslAccepts(dir, "ec2-a.example")).toBe(false);
    const after = await snapshot(dir);
    for (const file of FILES) expect(after[file], file).not.toBe(before[file]);
    expect(moved.stderr).not.toContain("PRIVATE KEY");
  });

  it("re-issues a set that expires within --min-days", async () => {
    const dir = await freshDir();
    expect((await issue(dir, "-H", "ec2-a.example", "--days", "10")).code).toBe(0);
    const kept = await issue(dir, "-H", "ec2-a.example", "--min-days", "5");
    expect(logMessages(kept.stderr).map((l) => l.msg)).toEqual(["kept certificates"]);

    const renewed = await issue(dir, "-H", "ec2-a.example", "--min-days", "30");
    expect(renewed.code).toBe(0);
    expect(logMessages(renewed.stderr)[0]?.reasons?.join("\n")).toMatch(
      /server_cert\.pem: expires in 9 days, under --min-days 30/,
    );
    const days = openssl("x509", "-in", join(dir, "server_cert.pem"), "-noout", "-checkend", "0");
    expect(days).toContain("will not expire");
    const notAfter = openssl("x509", "-in", join(dir, "server_cert.pem"), "-noout", "-enddate");
    expect(new Date(notAfter.replace("notAfter=", "")).getTime()).toBeGreaterThan(
      Date.now() + 300 * 24 * 3600 * 1000,
    );
  });

  it("re-issues a set whose key no longer fits its certificate", async () => {
    const dir = await freshDir();
    expect((await issue(dir, "-H", "ec2-a.example")).code).toBe(0);
    // Another set's server key in place of this one's.
    const other = await freshDir();
    expect((await issue(other, "-H", "ec2-a.example")).code).toBe(0);
    await writeFile(join(dir, "server_key.pem"), await readFile(join(other, "server_key.pem")));

    const repaired = await issue(dir, "-H", "ec2-a.example");
    expect(repaired.code).toBe(0);
    expect(logMessages(repaired.stderr)[0]?.reasons).toContain(
      "server_key.pem: does not belong to server_cert.pem",
    );
    const fromCert = openssl("x509", "-in", join(dir, "server_cert.pem"), "-noout", "-pubkey");
    expect(openssl("pkey", "-in", join(dir, "server_key.pem"), "-pubout")).toBe(fromCert);
    expect(opensslAccepts(dir, "ec2-a.example")).toBe(true);
  });

  it("keeps a set only when it also names every -i address", async () => {
    const dir = await freshDir();
    expect((await issue(dir, "-H", "ec2-a.example")).code).toBe(0);
    const withIp = await issue(dir, "-H", "ec2-a.example", "-i", "192.0.2.10");
    expect(logMessages(withIp.stderr)[0]?.reasons?.join("\n")).toContain(
      "not valid for 192.0.2.10",
    );
    const again = await issue(dir, "-H", "ec2-a.example", "-i", "192.0.2.10");
    expect(logMessages(again.stderr).map((l) => l.msg)).toEqual(["kept certificates"]);
  });

  it("re-issues when the keys are not the size asked for", async () => {
    const dir = await freshDir();
    expect((await issue(dir, "-H", "ec2-a.example")).code).toBe(0);
    const bigger = await runCli([
      "--keep-valid",
      "--key-size",
      "3072",
      "-o",
      dir,
      "-H",
      "ec2-a.example",
    ]);
    expect(logMessages(bigger.stderr)[0]?.reasons).toContain(
      "server_cert.pem: 2048-bit key, not the 3072 asked for",
    );
    expect(openssl("x509", "-in", join(dir, "server_cert.pem"), "-noout", "-text")).toContain(
      "Public-Key: (3072 bit)",
    );
  });

  it("re-issues when --write-ca-key asks for a CA key the set lacks, and keeps it after", async () => {
    const dir = await freshDir();
    expect((await issue(dir, "-H", "ec2-a.example")).code).toBe(0);
    const withKey = await issue(dir, "-H", "ec2-a.example", "--write-ca-key");
    expect(logMessages(withKey.stderr)[0]?.reasons).toEqual([
      "ca-key.pem: missing or not the key of ca.pem (asked for --write-ca-key)",
    ]);
    expect((await stat(join(dir, "ca-key.pem"))).mode & 0o777).toBe(0o600);
    const again = await issue(dir, "-H", "ec2-a.example", "--write-ca-key");
    expect(logMessages(again.stderr).map((l) => l.msg)).toEqual(["kept certificates"]);
  });

  it("keeps a set only when it was issued by the --ca-cert given", async () => {
    const ca = await freshDir();
    expect((await issue(ca, "-H", "ca.example", "--write-ca-key")).code).toBe(0);
    const caFlags = ["--ca-cert", join(ca, "ca.pem"), "--ca-key", join(ca, "ca-key.pem")];
    const dir = await freshDir();
    expect((await issue(dir, "-H", "ec2-a.example")).code).toBe(0);

    const rotated = await issue(dir, "-H", "ec2-a.example", ...caFlags);
    expect(logMessages(rotated.stderr)[0]?.reasons).toEqual([
      "ca.pem: not the CA given with --ca-cert",
    ]);
    expect(await readFile(join(dir, "ca.pem"), "utf8")).toBe(
      await readFile(join(ca, "ca.pem"), "utf8"),
    );
    const again = await issue(dir, "-H", "ec2-a.example", ...caFlags);
    expect(logMessages(again.stderr).map((l) => l.msg)).toEqual(["kept certificates"]);
  });

  it("refuses --force with --keep-valid and writes nothing", async () => {
    const dir = await freshDir();
    const result = await issue(dir, "-H", "ec2-a.example", "--force");
    expect(result.code).toBe(64);
    expect(result.stderr).toContain(
      "init-certificates: --keep-valid and --force do not go together (--force always replaces)",
    );
    await expect(stat(dir)).rejects.toThrow(/ENOENT/);
  });
});
