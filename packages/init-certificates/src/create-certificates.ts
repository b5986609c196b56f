import { type KeyObject, X509Certificate } from "node:crypto";
import { InputError, UsageError } from "./errors.js";
import { generateRsaKey, type KeySize, parseCaKey, privateKeyToPem } from "./keys.js";
import {
  checkDays,
  checkKeySize,
  DEFAULT_CA_DAYS,
  DEFAULT_DAYS,
  DEFAULT_KEY_SIZE,
  serverNames,
} from "./options.js";
import { buildCertificate, derToPem, pemToDer } from "./x509-builder.js";

// Backdated so a machine whose clock runs a little behind accepts a fresh set.
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CreateCertificatesOptions {
  /** DNS names clients use to reach the daemon (`-H`); at least one. */
  hosts: string[];
  /** IP addresses clients use (`-i`). */
  ips?: string[];
  /** Validity of the server and client certificates, in days. */
  days?: number;
  /** Validity of a new CA, in days: longer than the leaves, so they can be rotated from it. */
  caDays?: number;
  keySize?: KeySize;
  /** Issue from this existing CA (PEM) instead of making a new one. */
  ca?: { cert: string; key: string; source?: string };
  now?: Date;
}

export interface KeyPair {
  cert: string;
  key: string;
}

/** A CA and the server and client certificates it signed, all PEM. */
export interface CertificateSet {
  /** `key` is present only for a CA made by this run. */
  ca: { cert: string; key?: string };
  server: KeyPair;
  client: KeyPair;
  dnsNames: string[];
  ipAddresses: string[];
  notAfter: Date;
}

/**
 * Makes everything a Docker daemon needs for mutual TLS: a CA (or uses the
 * given one), a server certificate for the given names, and a client
 * certificate. The keys are generated concurrently.
 */
export async function createCertificates(
  options: CreateCertificatesOptions,
): Promise<CertificateSet> {
  if (options.hosts.length === 0) throw new UsageError("give at least one host name with -H");
  const names = serverNames(options.hosts, options.ips ?? []);
  const days = checkDays(options.days ?? DEFAULT_DAYS);
  const caDays = checkDays(options.caDays ?? DEFAULT_CA_DAYS, "--ca-days");
  if (caDays < days)
    throw new UsageError(`--ca-days (${caDays}) must not be less than --days (${days})`);
  const keySize = checkKeySize(options.keySize ?? DEFAULT_KEY_SIZE);
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  const notAfter = new Date(now.getTime() + days * DAY_MS);
  const existingCa = options.ca ? loadExistingCa(options.ca, notAfter) : undefined;

  const [caKey, serverKey, clientKey] = await Promise.all([
    existingCa ? existingCa.key : generateRsaKey(keySize),
    generateRsaKey(keySize),
    generateRsaKey(keySize),
  ]);
  const caCertificateDer =
    existingCa?.certificateDer ??
    buildCertificate({
      commonName: `Restyled Docker CA for ${names.dnsNames[0]}`,
      profile: { kind: "ca" },
      subjectKey: caKey,
      notBefore,
      notAfter: new Date(now.getTime() + caDays * DAY_MS),
    });
  const issuer = { certificateDer: caCertificateDer, key: caKey };
  const leaf = (commonName: string, subjectKey: KeyObject, profile: "server" | "client") =>
    derToPem(
      buildCertificate({
        commonName,
        profile: profile === "server" ? { kind: "server", ...names } : { kind: "client" },
        subjectKey,
        notBefore,
        notAfter,
        issuer,
      }),
    );

  return {
    ca: {
      cert: existingCa ? existingCa.pem : derToPem(caCertificateDer),
      ...(existingCa ? {} : { key: privateKeyToPem(caKey) }),
    },
    server: {
      cert: leaf(names.dnsNames[0] ?? "localhost", serverKey, "server"),
      key: privateKeyToPem(serverKey),
    },
    client: { cert: leaf("client", clientKey, "client"), key: privateKeyToPem(clientKey) },
    ...names,
    notAfter,
  };
}

function loadExistingCa(ca: NonNullable<CreateCertificatesOptions["ca"]>, leafNotAfter: Date) {
  const source = ca.source ?? "the CA";
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(ca.cert);
  } catch (error) {
    throw new InputError(`${source} certificate is not a PEM certificate`, { cause: error });
  }
  const key = parseCaKey(ca.key, `${source} key`);
  if (!certificate.ca)
    throw new InputError(`${source} certificate is not a CA (basicConstraints CA:false)`);
  if (!certificate.checkPrivateKey(key)) {
    throw new InputError(`${source} key does not belong to its certificate`);
  }
  const caNotAfter = new Date(certificate.validTo);
  if (caNotAfter < leafNotAfter) {
    throw new UsageError(
      `${source} expires on ${caNotAfter.toISOString().slice(0, 10)}, before the certificates asked for; lower --days or make a new CA`,
    );
  }
  return { key, pem: ca.cert, certificateDer: pemToDer(ca.cert) };
}
