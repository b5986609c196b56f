// The built bin, run as a user runs it, in its own process. The usage errors
// and the other paths run in-process in src/cli.test.ts.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const freshDir = () => mkdtemp(join(tmpdir(), "init-certificates-bin-"));

describe("init-certificates bin", () => {
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
    expect(logs[0]).toMatchObject({ name: "init-certificates", keySize: 4096 });
    expect(result.stderr).not.toContain("PRIVATE KEY");
  });

  it("prints the version it was built with", async () => {
    const { version } = JSON.parse(
      await readFile(new URL("../package.json", import.meta.url), "utf8"),
    );
    const result = await runCli(["--version"]);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("stops on the first SIGTERM during key generation, exits 130 and leaves no folder", async () => {
    const dir = await freshDir();
    const out = join(dir, "certs");
    const child = spawn(process.execPath, [BIN, "-H", "x", "-o", out], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    const generating = new Promise<void>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('"generating keys"')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    await generating;
    child.kill("SIGTERM");
    expect(await exited).toBe(130);
    expect(stderr).toContain(
      "init-certificates: received SIGTERM; stopping (send it again to force)\n",
    );
    expect(existsSync(out)).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });
});
