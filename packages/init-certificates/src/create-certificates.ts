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
  /**
   * Issue from this existing CA (PEM) instead of making a new one; `source`
   * and `keySource` name the files in error messages.
   */
  ca?: { cert: string; key: string; source?: string; keySource?: string };
  now?: Date;
  /** Stops the key generation at once (the keys still being made are dropped). */
  signal?: AbortSignal;
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

  options.signal?.throwIfAborted();
  const [caKey, serverKey, clientKey] = await abortable(
    Promise.all([
      existingCa ? existingCa.key : generateRsaKey(keySize),
      generateRsaKey(keySize),
      generateRsaKey(keySize),
    ]),
    options.signal,
  );
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

/**
 * Checks an existing CA before any work: a PEM certificate that is a CA, an
 * unencrypted RSA key that belongs to it, and a validity that outlasts
 * leaves of `days` days. Throws `InputError` (or `UsageError` for the dates).
 */
export function checkExistingCa(
  ca: NonNullable<CreateCertificatesOptions["ca"]>,
  options: { days?: number; now?: Date } = {},
): void {
  const now = options.now ?? new Date();
  loadExistingCa(ca, new Date(now.getTime() + (options.days ?? DEFAULT_DAYS) * DAY_MS));
}

function loadExistingCa(ca: NonNullable<CreateCertificatesOptions["ca"]>, leafNotAfter: Date) {
  const certSource = ca.source ?? "the CA certificate";
  const keySource = ca.keySource ?? "the CA key";
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(ca.cert);
  } catch (error) {
    throw new InputError(`${certSource} is not a PEM certificate`, { cause: error });
  }
  const key = parseCaKey(ca.key, keySource);
  if (!certificate.ca) {
    throw new InputError(`${certSource} is not a CA certificate (basicConstraints CA:false)`);
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new InputError(
      `key mismatch: ${keySource} is not the private key of ${certSource} (check --ca-key)`,
    );
  }
  const caNotAfter = new Date(certificate.validTo);
  if (caNotAfter < leafNotAfter) {
    throw new UsageError(
      `${certSource} expires on ${caNotAfter.toISOString().slice(0, 10)}, before the certificates asked for; lower --days or make a new CA`,
    );
  }
  return { key, pem: ca.cert, certificateDer: pemToDer(ca.cert) };
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it
 * aborts: key generation runs on the thread pool and cannot be cancelled,
 * but nobody has to wait for it.
 */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
