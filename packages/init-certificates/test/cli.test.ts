import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const freshDir = () => mkdtemp(join(tmpdir(), "init-certificates-cli-"));
const listFiles = async (dir: string) => (await readdir(dir, { recursive: true })).sort();

/** The single line a user sees on stderr for an error (logs are JSON lines). */
const errorLine = (stderr: string) =>
  stderr.split("\n").filter((line) => line.startsWith("init-certificates:"));

describe("init-certificates CLI", () => {
  it("writes a full set with the defaults and prints it with --json", async () => {
    const dir = join(await freshDir(), "certs");
    const result = await runCli(["-H", "docker.example", "-i", "10.0.0.7", "-o", dir, "--json"]);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.dnsNames).toEqual(["docker.example", "localhost"]);
    expect(output.ipAddresses).toEqual(["10.0.0.7", "127.0.0.1"]);
    expect(output.files.map((f: { path: string }) => f.path.slice(dir.length + 1))).toEqual([
      "ca.pem",
      "server_cert.pem",
      "server_key.pem",
      "client_cert.pem",
      "client_key.pem",
      "client/ca.pem",
      "client/cert.pem",
      "client/key.pem",
    ]);
    const logs = result.stderr
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(logs.map((l) => l.msg)).toEqual(["generating keys", "wrote certificates"]);
    expect(logs[0].keySize).toBe(4096);
    expect(result.stderr).not.toContain("PRIVATE KEY");
  });

  it("prints help with -h and exits 0", async () => {
    const result = await runCli(["-h"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage:\n {2}init-certificates -H HOST/);
  });

  it.each([
    [[], "give at least one host name with -H (see --help)"],
    [["-H", "x", "-i", "300.1.1.1"], 'invalid IP address: "300.1.1.1"'],
    [["-H", "bad_name"], 'invalid host name: "bad_name" (use -i for IP addresses)'],
    [["-H", "x", "--days", "0"], "--days must be a whole number from 1 to 3650, not 0"],
    [["-H", "x", "--days", "100000"], "--days must be a whole number from 1 to 3650, not 100000"],
    [["-H", "x", "--days", "soon"], '--days must be a whole number, not "soon"'],
    [["-H", "x", "--key-size", "1024"], "--key-size must be one of 2048, 3072, 4096, not 1024"],
    [["-H", "x", "--ca-cert", "ca.pem"], "--ca-cert and --ca-key go together"],
    [["-H", "x", "--bogus"], "Unknown option '--bogus'"],
    [["-H", "x", "extra"], "unexpected argument: extra (see --help)"],
    [["verify", "--force"], "--force does not go with verify"],
  ])("exits 64 and writes nothing for %j", async (args, message) => {
    const dir = await freshDir();
    const result = await runCli([...args, "-o", join(dir, "out")]);
    expect(result.code).toBe(64);
    expect(errorLine(result.stderr)[0]).toContain(message);
    expect(await listFiles(dir)).toEqual([]);
  });

  it("exits 73 and changes nothing when the folder already holds certificates", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "ca.pem"), "the CA every client trusts");
    const result = await runCli(["-H", "x", "-o", dir, "--key-size", "2048"]);
    expect(result.code).toBe(73);
    expect(errorLine(result.stderr)).toEqual([
      `init-certificates: ${dir} already holds ca.pem; pass --force to replace them`,
    ]);
    expect(await readFile(join(dir, "ca.pem"), "utf8")).toBe("the CA every client trusts");
    expect(await listFiles(dir)).toEqual(["ca.pem"]);
  });

  it("exits 73 before generating anything when the folder cannot be written", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "file"), "");
    const result = await runCli(["-H", "x", "-o", join(dir, "file", "certs")]);
    expect(result.code).toBe(73);
    expect(errorLine(result.stderr)).toEqual([
      `init-certificates: cannot write to ${dir}/file/certs: ENOTDIR`,
    ]);
    expect(result.stderr).not.toContain("generating keys");
  });

  it("exits 66 when the CA to rotate from cannot be read", async () => {
    const dir = await freshDir();
    const result = await runCli([
      "-H",
      "x",
      "-o",
      join(dir, "out"),
      "--ca-cert",
      join(dir, "nope.pem"),
      "--ca-key",
      join(dir, "nope-key.pem"),
    ]);
    expect(result.code).toBe(66);
    expect(errorLine(result.stderr)[0]).toBe(
      `init-certificates: cannot read ${dir}/nope.pem: ENOENT`,
    );
    expect(await listFiles(dir)).toEqual([]);
  });

  it("rotates the leaves from the CA it wrote, keeping ca.pem", async () => {
    const dir = await freshDir();
    expect(
      (await runCli(["-H", "x", "-o", dir, "--key-size", "2048", "--write-ca-key"])).code,
    ).toBe(0);
    const caBefore = await readFile(join(dir, "ca.pem"), "utf8");
    const serverBefore = await readFile(join(dir, "server_cert.pem"), "utf8");
    const rotate = await runCli([
      "-H",
      "x",
      "-o",
      dir,
      "--key-size",
      "2048",
      "--force",
      "--ca-cert",
      join(dir, "ca.pem"),
      "--ca-key",
      join(dir, "ca-key.pem"),
    ]);
    expect(rotate.code).toBe(0);
    expect(await readFile(join(dir, "ca.pem"), "utf8")).toBe(caBefore);
    expect(await readFile(join(dir, "server_cert.pem"), "utf8")).not.toBe(serverBefore);
    expect((await stat(join(dir, "ca-key.pem"))).mode & 0o777).toBe(0o600);
    const verify = await runCli(["verify", "-o", dir, "-H", "x", "-H", "127.0.0.1"]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`${dir}: OK`);
  });
});

describe("init-certificates verify", () => {
  it("reports days left and fails on a host the server certificate lacks", async () => {
    const dir = await freshDir();
    await runCli(["-H", "docker.example", "-o", dir, "--key-size", "2048", "--days", "20"]);
    const ok = await runCli(["verify", "-o", dir, "-H", "docker.example", "--json"]);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.ok).toBe(true);
    expect(
      report.certificates.find((c: { file: string }) => c.file === "server_cert.pem").daysLeft,
    ).toBe(19);

    const wrongHost = await runCli(["verify", "-o", dir, "-H", "other.example"]);
    expect(wrongHost.code).toBe(1);
    expect(wrongHost.stderr).toContain("server_cert.pem: not valid for other.example");
  });

  it("fails when a certificate expires within --min-days", async () => {
    const dir = await freshDir();
    await runCli(["-H", "x", "-o", dir, "--key-size", "2048", "--days", "20"]);
    const result = await runCli(["verify", "-o", dir, "--min-days", "30"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("server_cert.pem: expires in 19 days, under --min-days 30");
    expect(result.stderr).not.toContain("ca.pem: expires");
  });

  it("fails when a key was swapped or the chain is broken", async () => {
    const [a, b] = await Promise.all([freshDir(), freshDir()]);
    await Promise.all([a, b].map((dir) => runCli(["-H", "x", "-o", dir, "--key-size", "2048"])));
    await writeFile(join(a, "client_key.pem"), await readFile(join(b, "client_key.pem")));
    await writeFile(join(a, "server_cert.pem"), await readFile(join(b, "server_cert.pem")));
    const result = await runCli(["verify", "-o", a]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("server_cert.pem: not signed by ca.pem");
    expect(result.stderr).toContain("client_key.pem: does not belong to client_cert.pem");
  });

  it("fails on an empty folder naming the missing files", async () => {
    const result = await runCli(["verify", "-o", await freshDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ca.pem: cannot read (ENOENT)");
  });
});
