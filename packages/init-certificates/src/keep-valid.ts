import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { verifyCertificates } from "./verify-certificates.js";
import { CA_KEY_FILE } from "./write-certificates.js";

export interface KeepValidOptions {
  dir: string;
  /** Host names and IPs (already checked) the server certificate must name. */
  names: { dnsNames: string[]; ipAddresses: string[] };
  /** Replace a set whose certificates expire within this many days. */
  minDays: number;
  /** The set must hold keys of this size (only when asked for on the command line). */
  keySize?: number;
  /** The set must have been issued by this CA (PEM), when one is given. */
  caCert?: string;
  /** The set must include the CA's key (`--write-ca-key`). */
  withCaKey?: boolean;
  now?: Date;
}

export type KeepDecision =
  | { keep: true; notAfter: Date; dnsNames: string[]; ipAddresses: string[] }
  | { keep: false; reasons: string[] };

/**
 * Decides whether an existing set in `dir` can stay as it is: everything
 * `verify` checks passes for the requested names and `minDays`, plus what the
 * command line asked for (key size, issuing CA, CA key). Reasons name files
 * and host names only, never key material.
 */
export async function decideKeep(options: KeepValidOptions): Promise<KeepDecision> {
  const { dir, names } = options;
  const report = await verifyCertificates({
    dir,
    hosts: [...names.dnsNames, ...names.ipAddresses],
    minDays: options.minDays,
    ...(options.now ? { now: options.now } : {}),
  });
  const reasons = [...report.problems];
  if (reasons.length > 0 && reasons.every((r) => r.endsWith("cannot read (ENOENT)"))) {
    return { keep: false, reasons: ["no certificates yet"] };
  }
  const server = await readCertificate(join(dir, "server_cert.pem"));
  if (server && options.keySize !== undefined) {
    const bits = server.publicKey.asymmetricKeyDetails?.modulusLength;
    if (bits !== options.keySize) {
      reasons.push(`server_cert.pem: ${bits}-bit key, not the ${options.keySize} asked for`);
    }
  }
  const ca = await readCertificate(join(dir, "ca.pem"));
  if (ca && options.caCert !== undefined) {
    if (ca.fingerprint256 !== new X509Certificate(options.caCert).fingerprint256) {
      reasons.push("ca.pem: not the CA given with --ca-cert");
    }
  }
  if (ca && options.withCaKey && !(await caKeyMatches(dir, ca))) {
    reasons.push(`${CA_KEY_FILE}: missing or not the key of ca.pem (asked for --write-ca-key)`);
  }
  if (reasons.length > 0 || !server) return { keep: false, reasons };
  return { keep: true, notAfter: new Date(server.validTo), ...subjectAltNames(server) };
}

async function readCertificate(path: string): Promise<X509Certificate | undefined> {
  try {
    return new X509Certificate(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
}

async function caKeyMatches(dir: string, ca: X509Certificate): Promise<boolean> {
  try {
    return ca.checkPrivateKey(createPrivateKey(await readFile(join(dir, CA_KEY_FILE), "utf8")));
  } catch {
    return false;
  }
}

/** The names a certificate carries, from Node's `DNS:a, IP Address:b` rendering. */
function subjectAltNames(certificate: X509Certificate) {
  const entries = (certificate.subjectAltName ?? "").split(", ").filter(Boolean);
  const pick = (prefix: string) =>
    entries.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length));
  return { dnsNames: pick("DNS:"), ipAddresses: pick("IP Address:") };
}
