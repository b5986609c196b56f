#!/usr/bin/env node
// Benchmark: a full certificate set (CA, server, client; 4096-bit RSA keys).
//
// Baseline: "openssl-sequential", the command sequence of Docker's "Protect the
// Docker daemon socket" guide, run one command after another as the old shell
// script did. Candidate: "init-certificates", this package's library, which
// generates the three keys concurrently with Node's native crypto.
// Runs alternate, so both see the same machine load; RSA key generation time
// varies a lot, so we compare medians over RUNS runs of each.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createCertificates, writeCertificates } from "../dist/index.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const KEY_SIZE = 4096;

function opensslSequential(dir) {
  const run = (...args) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  writeFileSync(
    join(dir, "server.ext"),
    "subjectAltName = DNS:localhost,IP:127.0.0.1\nextendedKeyUsage = serverAuth\n",
  );
  writeFileSync(join(dir, "client.ext"), "extendedKeyUsage = clientAuth\n");
  run("genrsa", "-out", "ca-key.pem", String(KEY_SIZE));
  run(
    "req",
    "-new",
    "-x509",
    "-days",
    "365",
    "-key",
    "ca-key.pem",
    "-sha256",
    "-subj",
    "/CN=bench-ca",
    "-out",
    "ca.pem",
  );
  run("genrsa", "-out", "server-key.pem", String(KEY_SIZE));
  run(
    "req",
    "-subj",
    "/CN=localhost",
    "-sha256",
    "-new",
    "-key",
    "server-key.pem",
    "-out",
    "server.csr",
  );
  run(
    "x509",
    "-req",
    "-days",
    "365",
    "-sha256",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca-key.pem",
    "-CAcreateserial",
    "-out",
    "server-cert.pem",
    "-extfile",
    "server.ext",
  );
  run("genrsa", "-out", "key.pem", String(KEY_SIZE));
  run("req", "-subj", "/CN=client", "-new", "-key", "key.pem", "-out", "client.csr");
  run(
    "x509",
    "-req",
    "-days",
    "365",
    "-sha256",
    "-in",
    "client.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca-key.pem",
    "-CAcreateserial",
    "-out",
    "cert.pem",
    "-extfile",
    "client.ext",
  );
}

async function initCertificates(dir) {
  const set = await createCertificates({ hosts: ["localhost"], keySize: KEY_SIZE });
  await writeCertificates(join(dir, "certs"), set);
}

async function time(fn) {
  const dir = mkdtempSync(join(tmpdir(), "certs-bench-"));
  const start = performance.now();
  try {
    await fn(dir);
    return performance.now() - start;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const samples = { "openssl-sequential": [], "init-certificates": [] };
for (let run = 0; run < RUNS; run++) {
  samples["openssl-sequential"].push(await time(opensslSequential));
  samples["init-certificates"].push(await time(initCertificates));
}
const baseline = median(samples["openssl-sequential"]);
const candidate = median(samples["init-certificates"]);
const ratio = candidate / baseline;
console.log(
  `runs: ${RUNS} of each, ${KEY_SIZE}-bit keys, ${execFileSync("openssl", ["version"]).toString().trim()}`,
);
for (const [name, values] of Object.entries(samples)) {
  console.log(
    `${name.padEnd(20)} median ${median(values).toFixed(0)} ms  min ${Math.min(...values).toFixed(0)} ms  max ${Math.max(...values).toFixed(0)} ms`,
  );
}
console.log(
  `ratio init-certificates / openssl-sequential (medians): ${ratio.toFixed(2)}x (target <= 0.75x)`,
);
process.exitCode = ratio <= 0.75 ? 0 : 1;
