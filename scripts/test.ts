// `pnpm test`: installs the prerequisites (Debian packages) before any test
// runner starts, starts each service the packages ask for once (redis-server,
// a TLS dockerd, postgres), runs every package's tests against them with
// turbo, and stops the services at the end, also on failure or Ctrl-C.
// Extra arguments go to turbo, e.g. `pnpm test --filter @restyled/agent`.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { readNeeds, runWithServices } from "../packages/testkit/src/run-with-services.js";

const root = join(import.meta.dirname, "..");
const say = (line: string) => process.stderr.write(`pnpm test: ${line}\n`);

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", cwd: root });
    child.on("error", (error) => {
      say(`cannot run ${command}: ${error.message}`);
      resolve(127);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
}

const packages = readdirSync(join(root, "packages"));
const needs = await readNeeds(
  packages.map((name) => join(root, "packages", name, "test", "global-setup.ts")),
);
say(
  `Node ${process.versions.node}; services: ${
    Object.entries(needs)
      .filter(([, on]) => on)
      .map(([name]) => name)
      .join(", ") || "none"
  }`,
);

const code = await runWithServices({
  needs,
  say,
  build: () => run("turbo", ["run", "build"]),
  // The shared daemon is secured by init-certificates' own output (with the
  // CA key, which its tests use to issue a rotated client certificate).
  issueCertificates: async (dir) => {
    const { createCertificates, writeCertificates } = await import(
      join(root, "packages", "init-certificates", "dist", "index.js")
    );
    const set = await createCertificates({ hosts: ["localhost"], keySize: 2048 });
    await writeCertificates(dir, set, { writeCaKey: true });
  },
  command: ["turbo", "run", "test", "--continue", ...process.argv.slice(2)],
});
process.exitCode = code;
