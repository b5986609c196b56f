// Benchmark: issuing one server certificate signed by a 4096-bit RSA CA key.
//
// Baseline: "node-forge", the library the design card named: it builds the
// certificate and signs it in JavaScript (forge.pki, forge.md.sha256).
// Candidate: "init-certificates", this package's builder: @peculiar/asn1-x509
// for the DER structure, Node's crypto.sign (OpenSSL) for the signature.
// Both get the same keys and the same names and extensions; runs alternate so
// both see the same machine load; medians over RUNS runs of each.
//
// Run: pnpm --filter @restyled/init-certificates bench:forge
// node-forge is a devDependency for this benchmark only.
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { performance } from "node:perf_hooks";
import forge from "node-forge";
import { buildCertificate } from "../src/x509-builder.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const KEY_SIZE = 4096;
const DAY_MS = 86_400_000;

const pair = () => generateKeyPairSync("rsa", { modulusLength: KEY_SIZE, publicExponent: 0x10001 });
const ca = pair();
const server = pair();
const notBefore = new Date();
const notAfter = new Date(notBefore.getTime() + 365 * DAY_MS);
const caDer = buildCertificate({
  commonName: "bench CA",
  profile: { kind: "ca" },
  subjectKey: ca.privateKey,
  notBefore,
  notAfter,
});

function ours(): string {
  const der = buildCertificate({
    commonName: "docker.example",
    profile: {
      kind: "server",
      dnsNames: ["docker.example", "localhost"],
      ipAddresses: ["127.0.0.1"],
    },
    subjectKey: server.privateKey,
    notBefore,
    notAfter,
    issuer: { certificateDer: caDer, key: ca.privateKey },
  });
  return der.toString("base64");
}

const forgeCaKey = forge.pki.privateKeyFromPem(
  ca.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
);
const forgeCaCert = forge.pki.certificateFromPem(new X509Certificate(caDer).toString());
const forgeServerPublic = forge.pki.publicKeyFromPem(
  server.publicKey.export({ type: "spki", format: "pem" }).toString(),
);

function viaForge(): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forgeServerPublic;
  cert.serialNumber = forge.util.bytesToHex(forge.random.getBytesSync(16)).replace(/^[89a-f]/, "1");
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: "commonName", value: "docker.example" }]);
  cert.setIssuer(forgeCaCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 2, value: "docker.example" },
        { type: 2, value: "localhost" },
        { type: 7, ip: "127.0.0.1" },
      ],
    },
    { name: "subjectKeyIdentifier" },
    {
      name: "authorityKeyIdentifier",
      keyIdentifier: forgeCaCert.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  cert.sign(forgeCaKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

// Both must make a certificate the CA verifies, or the comparison means nothing.
const caX509 = new X509Certificate(caDer);
if (!new X509Certificate(Buffer.from(ours(), "base64")).verify(caX509.publicKey))
  throw new Error("ours does not verify");
if (!new X509Certificate(viaForge()).verify(caX509.publicKey))
  throw new Error("forge's does not verify");

const time = (fn: () => unknown) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const samples: Record<string, number[]> = { "node-forge": [], "init-certificates": [] };
for (let run = 0; run < RUNS; run++) {
  samples["node-forge"]!.push(time(viaForge));
  samples["init-certificates"]!.push(time(ours));
}
console.log(
  `runs: ${RUNS} of each, one server certificate signed by a ${KEY_SIZE}-bit CA key, node ${process.version}`,
);
for (const [name, values] of Object.entries(samples)) {
  console.log(
    `${name.padEnd(18)} median ${median(values).toFixed(2)} ms  min ${Math.min(...values).toFixed(2)} ms  max ${Math.max(...values).toFixed(2)} ms`,
  );
}
const ratio = median(samples["node-forge"]!) / median(samples["init-certificates"]!);
console.log(
  `ratio node-forge / init-certificates (medians): ${ratio.toFixed(1)}x slower with forge`,
);

if (process.env.BENCH_KEYGEN) {
  // One key each: forge generates in JavaScript on the main thread, so the
  // event loop (signals included) is blocked for the whole time.
  const forgeKeygen = time(() => forge.pki.rsa.generateKeyPair({ bits: KEY_SIZE, e: 0x10001 }));
  const nodeKeygen = time(() => generateKeyPairSync("rsa", { modulusLength: KEY_SIZE }));
  console.log(
    `keygen ${KEY_SIZE}-bit, one key: node-forge ${forgeKeygen.toFixed(0)} ms (event loop blocked), node crypto ${nodeKeygen.toFixed(0)} ms (${(forgeKeygen / nodeKeygen).toFixed(1)}x)`,
  );
}
