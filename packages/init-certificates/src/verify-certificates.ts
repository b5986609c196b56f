import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { CLIENT_AUTH, SERVER_AUTH } from "./x509-builder.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface VerifyOptions {
  dir: string;
  /** Host names or IPs the server certificate must be valid for. */
  hosts?: string[];
  /** Fail when a certificate expires within this many days. */
  minDays?: number;
  now?: Date;
}

export interface CertificateStatus {
  file: string;
  subject: string;
  notAfter: string;
  daysLeft: number;
}

export interface VerifyReport {
  ok: boolean;
  problems: string[];
  certificates: CertificateStatus[];
}

/**
 * Checks a folder written by init-certificates: the chain, the keys, the
 * server's names, the purposes and how long each certificate has left.
 */
export async function verifyCertificates(options: VerifyOptions): Promise<VerifyReport> {
  const now = options.now ?? new Date();
  const problems: string[] = [];
  const certificates: CertificateStatus[] = [];
  const read = async (name: string) => {
    try {
      return await readFile(join(options.dir, name), "utf8");
    } catch (error) {
      problems.push(`${name}: cannot read (${(error as NodeJS.ErrnoException).code})`);
      return undefined;
    }
  };
  const parse = (name: string, pem: string | undefined) => {
    if (pem === undefined) return undefined;
    try {
      return new X509Certificate(pem);
    } catch {
      problems.push(`${name}: not a PEM certificate`);
      return undefined;
    }
  };

  const ca = parse("ca.pem", await read("ca.pem"));
  if (ca && !ca.ca) problems.push("ca.pem: not a CA certificate");
  if (ca && !ca.verify(ca.publicKey)) problems.push("ca.pem: not self-signed");

  const leaves = [
    { cert: "server_cert.pem", key: "server_key.pem", purpose: SERVER_AUTH },
    { cert: "client_cert.pem", key: "client_key.pem", purpose: CLIENT_AUTH },
    { cert: "client/cert.pem", key: "client/key.pem", purpose: CLIENT_AUTH },
  ];
  for (const leaf of leaves) {
    const certificate = parse(leaf.cert, await read(leaf.cert));
    const keyPem = await read(leaf.key);
    if (!certificate) continue;
    if (ca && (certificate.issuer !== ca.subject || !certificate.verify(ca.publicKey))) {
      problems.push(`${leaf.cert}: not signed by ca.pem`);
    }
    if (!(certificate.keyUsage ?? []).includes(leaf.purpose)) {
      problems.push(
        `${leaf.cert}: lacks extended key usage ${leaf.purpose === SERVER_AUTH ? "serverAuth" : "clientAuth"}`,
      );
    }
    if (keyPem !== undefined && !keyMatches(certificate, keyPem)) {
      problems.push(`${leaf.key}: does not belong to ${leaf.cert}`);
    }
    if (leaf.purpose === SERVER_AUTH) {
      for (const host of options.hosts ?? []) {
        const matched = isIP(host)
          ? certificate.checkIP(host)
          : certificate.checkHost(host, { subject: "never" });
        if (!matched)
          problems.push(
            `${leaf.cert}: not valid for ${host} (names: ${certificate.subjectAltName})`,
          );
      }
    }
  }
  const clientCa = await read("client/ca.pem");
  if (
    ca &&
    clientCa !== undefined &&
    parse("client/ca.pem", clientCa)?.fingerprint256 !== ca.fingerprint256
  ) {
    problems.push("client/ca.pem: differs from ca.pem");
  }

  for (const name of ["ca.pem", "server_cert.pem", "client_cert.pem"]) {
    const certificate = parse(name, await read(name).catch(() => undefined));
    if (!certificate) continue;
    const notAfter = new Date(certificate.validTo);
    const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
    certificates.push({
      file: name,
      subject: certificate.subject.replace(/\n/g, ", "),
      notAfter: notAfter.toISOString(),
      daysLeft,
    });
    if (new Date(certificate.validFrom) > now)
      problems.push(`${name}: not valid before ${certificate.validFrom}`);
    if (notAfter <= now) problems.push(`${name}: expired on ${notAfter.toISOString()}`);
    else if (options.minDays !== undefined && daysLeft < options.minDays) {
      problems.push(`${name}: expires in ${daysLeft} days, under --min-days ${options.minDays}`);
    }
  }
  return { ok: problems.length === 0, problems: [...new Set(problems)], certificates };
}

function keyMatches(certificate: X509Certificate, keyPem: string): boolean {
  try {
    return certificate.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}
