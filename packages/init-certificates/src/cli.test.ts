// The CLI in-process: runCli with its own argv, env, streams and signal
// emitter. test/cli.test.ts keeps a few runs of the built bin as a user runs it.
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli.js";

const freshDir = () => mkdtemp(join(tmpdir(), "init-certificates-cli-"));
const listFiles = async (dir: string) => (await readdir(dir, { recursive: true })).sort();

function stream(onWrite?: (chunk: string) => void) {
  let text = "";
  return {
    write(chunk: string) {
      text += chunk;
      onWrite?.(chunk);
      return true;
    },
    get text() {
      return text;
    },
  };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  const stdout = stream();
  const stderr = stream();
  const code = await runCli({ argv, env, stdout, stderr, signals: new EventEmitter() });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The lines a user reads on stderr (logs are JSON lines). */
const errorLines = (stderr: string) =>
  stderr.split("\n").filter((line) => line.startsWith("init-certificates:"));

describe("init-certificates usage errors", () => {
  it.each([
    [[], "give at least one host name with -H (see --help)"],
    [["-H", "x", "-i", "300.1.1.1"], 'invalid IP address: "300.1.1.1"'],
    [["-H", "bad_name"], 'invalid host name: "bad_name" (use -i for IP addresses)'],
    [["-H", "x", "--days", "0"], '--days: "0" is not a whole number from 1 to 3650'],
    [["-H", "x", "--days", "100000"], '--days: "100000" is not a whole number from 1 to 3650'],
    [["-H", "x", "--days", "soon"], '--days: "soon" is not a whole number from 1 to 3650'],
    [["-H", "x", "--key-size", "1024"], '--key-size: "1024" is not one of 2048, 3072, 4096'],
    [["-H", "x", "--ca-cert", "ca.pem"], "--ca-cert and --ca-key go together"],
    [["-H", "x", "--bogus"], "unknown option '--bogus' (see --help)"],
    [["-H", "x", "-Z"], "unknown option '-Z' (see --help)"],
    [["-H", "x", "extra"], "unexpected argument 'extra' (see --help)"],
    [["-H", "x", "--days"], "--days needs a value (see --help)"],
    [["-H", "x", "--min-days", "3"], "--min-days goes with verify or --keep-valid"],
    [
      ["-H", "x", "--keep-valid", "--force"],
      "--keep-valid and --force do not go together (--force always replaces)",
    ],
    [["verify", "--keep-valid"], "--keep-valid does not go with verify"],
    [["verify", "--force"], "--force does not go with verify"],
    [["verify", "--key-size", "2048"], "--key-size does not go with verify"],
    [["verify", "--min-days", "-1"], '--min-days: "-1" is not a whole number of at least 0'],
  ])("exits 64 and writes nothing for %j", async (args, message) => {
    const dir = await freshDir();
    const result = await cli([...args, "-o", join(dir, "out")]);
    expect(errorLines(result.stderr)).toEqual([`init-certificates: ${message}`]);
    expect(result.code).toBe(64);
    expect(await listFiles(dir)).toEqual([]);
  });

  it("exits 78 naming LOG_LEVEL before doing anything", async () => {
    const dir = await freshDir();
    const result = await cli(["-H", "x", "-o", join(dir, "out")], { LOG_LEVEL: "loud" });
    expect(result.code).toBe(78);
    expect(errorLines(result.stderr)).toEqual([
      'init-certificates: LOG_LEVEL: "loud" is not a log level (use debug, info, warn or error)',
    ]);
    expect(await listFiles(dir)).toEqual([]);
  });

  it("prints the generated help and the package version", async () => {
    const help = await cli(["-h"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage:\n {2}init-certificates -H HOST/);
    expect(help.stdout).toContain("  -H, --host HOST");
    expect(help.stdout).toContain("  -o, --out DIR");
    expect(help.stdout).toContain("  -v, --version");
    const version = await cli(["--version"]);
    const { version: expected } = JSON.parse(
      await readFile(new URL("../package.json", import.meta.url), "utf8"),
    );
    expect(version.stdout).toBe(`${expected}\n`);
    expect((await cli(["-v"])).stdout).toBe(`${expected}\n`);
  });
});

describe("init-certificates output folder errors", () => {
  it("fails fast with 73 under /proc instead of spinning", async () => {
    const result = await cli(["-H", "x", "-o", "/proc/init-certificates-test"]);
    expect(result.code).toBe(73);
    expect(errorLines(result.stderr)).toEqual([
      "init-certificates: cannot write to /proc/init-certificates-test: ENOENT",
    ]);
    expect(existsSync("/proc/init-certificates-test")).toBe(false);
    expect(result.stderr).not.toContain("generating keys");
  });

  it("exits 73 before generating anything when a parent is a file", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "file"), "");
    const result = await cli(["-H", "x", "-o", join(dir, "file", "certs")]);
    expect(result.code).toBe(73);
    expect(errorLines(result.stderr)).toEqual([
      `init-certificates: cannot write to ${dir}/file/certs: ENOTDIR`,
    ]);
    expect(result.stderr).not.toContain("generating keys");
    expect(await listFiles(dir)).toEqual(["file"]);
  });

  it("exits 73 when the output is a file, leaving the file alone", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "certs"), "a file");
    const result = await cli(["-H", "x", "-o", join(dir, "certs")]);
    expect(result.code).toBe(73);
    expect(errorLines(result.stderr)).toEqual([
      `init-certificates: cannot write to ${dir}/certs: ${dir}/certs is not a folder (ENOTDIR)`,
    ]);
    expect(await readFile(join(dir, "certs"), "utf8")).toBe("a file");
  });

  it("exits 73 and changes nothing when the folder already holds certificates", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "ca.pem"), "the CA every client trusts");
    const result = await cli(["-H", "x", "-o", dir, "--key-size", "2048"]);
    expect(result.code).toBe(73);
    expect(errorLines(result.stderr)).toEqual([
      `init-certificates: ${dir} already holds ca.pem; pass --force to replace them`,
    ]);
    expect(await readFile(join(dir, "ca.pem"), "utf8")).toBe("the CA every client trusts");
    expect(await listFiles(dir)).toEqual(["ca.pem"]);
  });
});

describe("init-certificates interrupted", () => {
  it("says at once that it is stopping on Ctrl-C during key generation, exits 130 and leaves no folder", async () => {
    const dir = await freshDir();
    const out = join(dir, "new", "certs");
    const signals = new EventEmitter();
    const stdout = stream();
    let generating!: () => void;
    const started = new Promise<void>((resolve) => {
      generating = resolve;
    });
    const stderr = stream((chunk) => {
      if (chunk.includes('"generating keys"')) generating();
    });
    // 2048-bit keys: the abandoned key generation keeps thread-pool threads
    // busy after the test, and fs calls share that pool.
    const pending = runCli({
      argv: ["-H", "x", "-o", out, "--key-size", "2048"],
      env: {},
      stdout,
      stderr,
      signals,
    });
    await started;
    expect(existsSync(out)).toBe(true);
    signals.emit("SIGINT");
    // Said synchronously, before any key is done.
    expect(errorLines(stderr.text)).toEqual([
      "init-certificates: received SIGINT; stopping (send it again to force)",
    ]);
    expect(await pending).toBe(130);
    expect(errorLines(stderr.text)).toEqual([
      "init-certificates: received SIGINT; stopping (send it again to force)",
      "init-certificates: stopped",
    ]);
    expect(await listFiles(dir)).toEqual([]);
  });

  it("keeps a folder that existed before when stopped", async () => {
    const dir = await freshDir();
    const signals = new EventEmitter();
    let generating!: () => void;
    const started = new Promise<void>((resolve) => {
      generating = resolve;
    });
    const stderr = stream((chunk) => {
      if (chunk.includes('"generating keys"')) generating();
    });
    const pending = runCli({
      argv: ["-H", "x", "-o", dir, "--key-size", "2048"],
      env: {},
      stdout: stream(),
      stderr,
      signals,
    });
    await started;
    signals.emit("SIGTERM");
    expect(await pending).toBe(130);
    expect(existsSync(dir)).toBe(true);
    expect(await listFiles(dir)).toEqual([]);
  });
});

describe("init-certificates CA input errors", () => {
  async function caPair(dir: string) {
    expect((await cli(["-H", "x", "-o", dir, "--key-size", "2048", "--write-ca-key"])).code).toBe(
      0,
    );
    return { cert: join(dir, "ca.pem"), key: join(dir, "ca-key.pem") };
  }

  it("exits 66 naming the flag and file when the CA cannot be read", async () => {
    const dir = await freshDir();
    const result = await cli([
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
    expect(errorLines(result.stderr)).toEqual([
      `init-certificates: cannot read --ca-cert ${dir}/nope.pem: ENOENT`,
    ]);
    expect(await listFiles(dir)).toEqual([]);
  });

  it("reports a --ca-key of another CA as a key mismatch, exits 66 and writes nothing", async () => {
    const [a, b, work] = await Promise.all([freshDir(), freshDir(), freshDir()]);
    const [first, second] = await Promise.all([caPair(a), caPair(b)]);
    const out = join(work, "out");
    const result = await cli([
      "-H",
      "x",
      "-o",
      out,
      "--ca-cert",
      first.cert,
      "--ca-key",
      second.key,
    ]);
    expect(result.code).toBe(66);
    expect(errorLines(result.stderr)).toEqual([
      `init-certificates: key mismatch: ${second.key} is not the private key of ${first.cert} (check --ca-key)`,
    ]);
    expect(result.stderr).not.toContain("generating keys");
    expect(await listFiles(work)).toEqual([]);
  });

  it("blames the key file, not the certificate, for a key that is not PEM", async () => {
    const [a, work] = await Promise.all([freshDir(), freshDir()]);
    const { cert } = await caPair(a);
    const badKey = join(work, "key.txt");
    await writeFile(badKey, "not a key");
    const result = await cli([
      "-H",
      "x",
      "-o",
      join(work, "out"),
      "--ca-cert",
      cert,
      "--ca-key",
      badKey,
    ]);
    expect(result.code).toBe(66);
    expect(errorLines(result.stderr)).toEqual([
      `init-certificates: ${badKey} is not a PEM private key`,
    ]);
    expect(await listFiles(work)).toEqual(["key.txt"]);
  });

  it("rotates the leaves from the CA it wrote, keeping ca.pem, and verifies them", async () => {
    const dir = await freshDir();
    const { cert, key } = await caPair(dir);
    const caBefore = await readFile(cert, "utf8");
    const serverBefore = await readFile(join(dir, "server_cert.pem"), "utf8");
    const rotate = await cli([
      "-H",
      "x",
      "-o",
      dir,
      "--key-size",
      "2048",
      "--force",
      "--ca-cert",
      cert,
      "--ca-key",
      key,
    ]);
    expect(rotate.code).toBe(0);
    expect(await readFile(cert, "utf8")).toBe(caBefore);
    expect(await readFile(join(dir, "server_cert.pem"), "utf8")).not.toBe(serverBefore);
    expect((await stat(key)).mode & 0o777).toBe(0o600);
    const verify = await cli(["verify", "-o", dir, "-H", "x", "-H", "127.0.0.1"]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`${dir}: OK`);
  });
});

describe("init-certificates verify", () => {
  it("reports days left and fails on a host the server certificate lacks", async () => {
    const dir = await freshDir();
    await cli(["-H", "docker.example", "-o", dir, "--key-size", "2048", "--days", "20"]);
    const ok = await cli(["verify", "-o", dir, "-H", "docker.example", "--json"]);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.ok).toBe(true);
    expect(
      report.certificates.find((c: { file: string }) => c.file === "server_cert.pem").daysLeft,
    ).toBe(19);

    const wrongHost = await cli(["verify", "-o", dir, "-H", "other.example"]);
    expect(wrongHost.code).toBe(1);
    expect(wrongHost.stderr).toContain("server_cert.pem: not valid for other.example");
  });

  it("fails when a certificate expires within --min-days", async () => {
    const dir = await freshDir();
    await cli(["-H", "x", "-o", dir, "--key-size", "2048", "--days", "20"]);
    const result = await cli(["verify", "-o", dir, "--min-days", "30"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("server_cert.pem: expires in 19 days, under --min-days 30");
    expect(result.stderr).not.toContain("ca.pem: expires");
  });

  it("fails when a key was swapped or the chain is broken", async () => {
    const [a, b] = await Promise.all([freshDir(), freshDir()]);
    await Promise.all([a, b].map((dir) => cli(["-H", "x", "-o", dir, "--key-size", "2048"])));
    await writeFile(join(a, "client_key.pem"), await readFile(join(b, "client_key.pem")));
    await writeFile(join(a, "server_cert.pem"), await readFile(join(b, "server_cert.pem")));
    const result = await cli(["verify", "-o", a]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("server_cert.pem: not signed by ca.pem");
    expect(result.stderr).toContain("client_key.pem: does not belong to client_cert.pem");
  });

  it("fails on an empty folder naming the missing files", async () => {
    const result = await cli(["verify", "-o", await freshDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ca.pem: cannot read (ENOENT)");
  });
});
