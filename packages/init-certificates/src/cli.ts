import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { createCertificates } from "./create-certificates.js";
import { InputError, OutputError, UsageError, VerificationError } from "./errors.js";
import { createLogger, type Logger } from "./logger.js";
import {
  checkDays,
  checkKeySize,
  DEFAULT_CA_DAYS,
  DEFAULT_DAYS,
  DEFAULT_KEY_SIZE,
  MAX_DAYS,
  serverNames,
} from "./options.js";
import { verifyCertificates } from "./verify-certificates.js";
import { checkOutputFolder, writeCertificates } from "./write-certificates.js";

export const EXIT = { ok: 0, failed: 1, usage: 64, noInput: 66, cantCreate: 73, interrupted: 130 };

const HELP = `Usage:
  init-certificates -H HOST [-H HOST…] [-i IP…] [-o DIR] [options]
  init-certificates verify [-o DIR] [-H HOST…] [--min-days N] [--json]

Makes a CA, a server certificate and a client certificate for a Docker daemon
with mutual TLS (dockerd --tlsverify), RSA keys, SHA-256 signatures.

Options:
  -H, --host HOST      DNS name clients use for the daemon (repeatable, required)
  -i, --ip IP          IP address clients use for the daemon (repeatable)
                       (the server certificate always adds localhost and 127.0.0.1)
  -o, --out DIR        output folder (default: /certs)
      --days N         validity of the server and client certificates in days,
                       1 to ${MAX_DAYS} (default: ${DEFAULT_DAYS})
      --ca-days N      validity of a new CA in days (default: ${DEFAULT_CA_DAYS})
      --key-size BITS  2048, 3072 or 4096 (default: ${DEFAULT_KEY_SIZE})
      --ca-cert FILE   issue from this existing CA certificate (rotation without
      --ca-key FILE    re-registering clients) and its unencrypted private key
      --write-ca-key   also write a new CA's private key as ca-key.pem (0600)
      --force          replace existing files (otherwise nothing is overwritten)
      --json           print what was written (or verified) as JSON on stdout
  -h, --help           show this help
  -v, --version        show the version

verify checks the chain, the keys, the server names given with -H (host names
or IPs) and expiry; it fails when anything is broken, expired or expires
within --min-days (default: 0).

Writes ca.pem, server_cert.pem, server_key.pem, client_cert.pem,
client_key.pem and client/{ca,cert,key}.pem (for DOCKER_CERT_PATH).
Keys are 0600, certificates 0644. Files are replaced all at once or not at all.

Exit codes: 0 done, 1 verify failed or unexpected error, 64 bad usage,
66 unreadable CA input, 73 output folder unwritable or already filled, 130 interrupted.
Environment: LOG_LEVEL (debug, info, warn, error) for the JSON log on stderr.`;

const OPTIONS = {
  host: { type: "string", short: "H", multiple: true },
  ip: { type: "string", short: "i", multiple: true },
  out: { type: "string", short: "o", default: "/certs" },
  days: { type: "string" },
  "ca-days": { type: "string" },
  "key-size": { type: "string" },
  "ca-cert": { type: "string" },
  "ca-key": { type: "string" },
  "write-ca-key": { type: "boolean" },
  "min-days": { type: "string" },
  force: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  logger: Logger;
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  logger: createLogger(),
};

/** Runs the CLI; the one place where errors become exit codes. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await run(argv, io, controller.signal);
  } catch (error) {
    io.stderr(`init-certificates: ${(error as Error).message}\n`);
    if (error instanceof UsageError) return EXIT.usage;
    if (error instanceof InputError) return EXIT.noInput;
    if (error instanceof OutputError) return EXIT.cantCreate;
    if (error instanceof VerificationError) return EXIT.failed;
    if (controller.signal.aborted) return EXIT.interrupted;
    if (process.env.LOG_LEVEL === "debug") io.stderr(`${(error as Error).stack}\n`);
    return EXIT.failed;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

async function run(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseFlags(argv);
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  if (values.version) {
    io.stdout(`${createRequire(import.meta.url)("../package.json").version}\n`);
    return EXIT.ok;
  }
  const [command, ...extra] = positionals;
  if (extra.length > 0 || (command !== undefined && command !== "verify")) {
    throw new UsageError(`unexpected argument: ${extra[0] ?? command} (see --help)`);
  }
  return command === "verify" ? runVerify(values, io) : runCreate(values, io, signal);
}

type Flags = ReturnType<typeof parseFlags>["values"];

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see --help)`);
  }
}

async function runCreate(values: Flags, io: CliIo, signal: AbortSignal): Promise<number> {
  if (values["min-days"] !== undefined) throw new UsageError("--min-days goes with verify");
  if (Boolean(values["ca-cert"]) !== Boolean(values["ca-key"])) {
    throw new UsageError("--ca-cert and --ca-key go together");
  }
  if (values["write-ca-key"] && values["ca-key"]) {
    throw new UsageError("--write-ca-key writes a new CA's key; the given CA key is not copied");
  }
  const days = checkDays(parseInteger("--days", values.days ?? String(DEFAULT_DAYS)));
  const caDays = checkDays(
    parseInteger("--ca-days", values["ca-days"] ?? String(DEFAULT_CA_DAYS)),
    "--ca-days",
  );
  if (values["ca-days"] !== undefined && values["ca-cert"]) {
    throw new UsageError("--ca-days is for a new CA, not with --ca-cert");
  }
  const keySize = checkKeySize(
    parseInteger("--key-size", values["key-size"] ?? String(DEFAULT_KEY_SIZE)),
  );
  const ca =
    values["ca-cert"] && values["ca-key"]
      ? await readCa(values["ca-cert"], values["ca-key"])
      : undefined;
  const out = values.out;
  const hosts = values.host ?? [];
  if (hosts.length === 0) throw new UsageError("give at least one host name with -H (see --help)");
  serverNames(hosts, values.ip ?? []); // reject bad names before any work
  await checkOutputFolder(out, { force: values.force ?? false });

  const started = Date.now();
  io.logger.info("generating keys", { keySize, hosts: values.host ?? [], ips: values.ip ?? [] });
  const set = await createCertificates({
    hosts: values.host ?? [],
    ips: values.ip ?? [],
    days,
    caDays,
    keySize,
    ...(ca ? { ca } : {}),
  });
  signal.throwIfAborted();
  const written = await writeCertificates(out, set, {
    force: values.force ?? false,
    writeCaKey: values["write-ca-key"] ?? false,
    signal,
  });
  io.logger.info("wrote certificates", {
    dir: out,
    files: written.length,
    newCa: !ca,
    notAfter: set.notAfter.toISOString(),
    ms: Date.now() - started,
  });
  if (values.json) {
    const result = {
      dir: out,
      files: written,
      dnsNames: set.dnsNames,
      ipAddresses: set.ipAddresses,
      notAfter: set.notAfter.toISOString(),
    };
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  }
  return EXIT.ok;
}

async function runVerify(values: Flags, io: CliIo): Promise<number> {
  for (const flag of [
    "ca-cert",
    "ca-key",
    "write-ca-key",
    "force",
    "days",
    "key-size",
    "ip",
  ] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} does not go with verify`);
  }
  const minDays =
    values["min-days"] === undefined ? 0 : parseInteger("--min-days", values["min-days"]);
  if (minDays < 0) throw new UsageError(`--min-days must not be negative, not ${minDays}`);
  const report = await verifyCertificates({ dir: values.out, hosts: values.host ?? [], minDays });
  if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else {
    for (const status of report.certificates) {
      io.stdout(`${status.file}: ${status.daysLeft} days left (until ${status.notAfter})\n`);
    }
  }
  if (!report.ok)
    throw new VerificationError(
      `${values.out} failed verification:\n  ${report.problems.join("\n  ")}`,
    );
  if (!values.json) io.stdout(`${values.out}: OK\n`);
  return EXIT.ok;
}

function parseInteger(flag: string, value: string): number {
  if (!/^-?\d+$/.test(value.trim()))
    throw new UsageError(`${flag} must be a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}

async function readCa(certFile: string, keyFile: string) {
  const read = (file: string) =>
    readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read ${file}: ${error.code ?? error.message}`, { cause: error });
    });
  return { cert: await read(certFile), key: await read(keyFile), source: certFile };
}
