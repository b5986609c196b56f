import { readFile } from "node:fs/promises";
import { type MainContext, type MainOptions, runMain } from "@restyled/core/cli";
import { ExitCode } from "@restyled/core/errors";
import type { Logger } from "@restyled/core/logger";
import { type OptionValues, parseOptions } from "@restyled/core/options";
import { CLI_OPTIONS, helpText, VERSION_FLAGS } from "./cli-options.js";
import { checkExistingCa, createCertificates } from "./create-certificates.js";
import { InputError, UsageError, VerificationError } from "./errors.js";
import { decideKeep } from "./keep-valid.js";
import type { KeySize } from "./keys.js";
import { DEFAULT_CA_DAYS, DEFAULT_DAYS, DEFAULT_KEY_SIZE, serverNames } from "./options.js";
import { removeFolders } from "./output-folder.js";
import { verifyCertificates } from "./verify-certificates.js";
import { VERSION } from "./version.js";
import { checkOutputFolder, writeCertificates } from "./write-certificates.js";

type Values = OptionValues<typeof CLI_OPTIONS>;

/** What a test (or the bin) may pass instead of the process's own. */
export type CliIo = Pick<MainOptions, "argv" | "env" | "stdout" | "stderr" | "signals" | "exit">;

/**
 * Runs the CLI and resolves to its exit code; `runMain` from the shared core
 * handles --help, --version, signals and turning errors into exit codes.
 */
export function runCli(io: CliIo = {}): Promise<number> {
  return runMain({
    name: "init-certificates",
    version: VERSION,
    help: helpText,
    versionFlags: VERSION_FLAGS,
    ...io,
    run,
  });
}

async function run({ argv, env, signal, logger, stdout }: MainContext): Promise<number> {
  const values = parseOptions(CLI_OPTIONS, { argv, env, allowPositionals: true });
  const [command, ...extra] = values.positionals;
  if (extra.length > 0 || (command !== undefined && command !== "verify")) {
    throw new UsageError(`unexpected argument '${extra[0] ?? command}' (see --help)`);
  }
  if (command === "verify") return runVerify(values, stdout);
  return runCreate(values, { logger, stdout, signal });
}

interface CreateIo {
  logger: Logger;
  stdout: MainContext["stdout"];
  signal: AbortSignal;
}

async function runCreate(values: Values, io: CreateIo): Promise<number> {
  if (values.minDays !== undefined && !values.keepValid) {
    throw new UsageError("--min-days goes with verify or --keep-valid");
  }
  if (values.keepValid && values.force) {
    throw new UsageError("--keep-valid and --force do not go together (--force always replaces)");
  }
  if (Boolean(values.caCert) !== Boolean(values.caKey)) {
    throw new UsageError("--ca-cert and --ca-key go together");
  }
  if (values.writeCaKey && values.caKey) {
    throw new UsageError("--write-ca-key writes a new CA's key; the given CA key is not copied");
  }
  if (values.caDays !== undefined && values.caCert) {
    throw new UsageError("--ca-days is for a new CA, not with --ca-cert");
  }
  const days = values.days ?? DEFAULT_DAYS;
  const caDays = values.caDays ?? DEFAULT_CA_DAYS;
  const keySize = values.keySize ? (Number(values.keySize) as KeySize) : DEFAULT_KEY_SIZE;
  const hosts = values.host;
  const ips = values.ip;
  if (hosts.length === 0) throw new UsageError("give at least one host name with -H (see --help)");
  const names = serverNames(hosts, ips); // reject bad names before any work
  const ca = values.caCert && values.caKey ? await readCa(values.caCert, values.caKey) : undefined;
  // A CA that cannot be used fails before any folder is made or key generated.
  if (ca) checkExistingCa(ca, { days });
  const out = values.out;
  let force = values.force ?? false;
  if (values.keepValid) {
    const decision = await decideKeep({
      dir: out,
      names,
      minDays: values.minDays ?? 0,
      ...(values.keySize ? { keySize } : {}),
      ...(ca ? { caCert: ca.cert } : {}),
      withCaKey: values.writeCaKey ?? false,
    });
    if (decision.keep) {
      io.logger.info("kept certificates", { dir: out, notAfter: decision.notAfter.toISOString() });
      if (values.json) {
        const result = {
          dir: out,
          kept: true,
          files: [],
          dnsNames: decision.dnsNames,
          ipAddresses: decision.ipAddresses,
          notAfter: decision.notAfter.toISOString(),
        };
        io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      }
      return ExitCode.ok;
    }
    io.logger.info("issuing certificates", { dir: out, reasons: decision.reasons });
    // The set on disk is not one to keep: replace it as --force would.
    force = true;
  }
  // Before the slow key generation: an unwritable or filled folder fails now.
  const created = await checkOutputFolder(out, { force });
  try {
    const started = Date.now();
    io.logger.info("generating keys", { keySize, hosts, ips });
    const set = await createCertificates({
      hosts,
      ips,
      days,
      caDays,
      keySize,
      signal: io.signal,
      ...(ca ? { ca } : {}),
    });
    io.signal.throwIfAborted();
    const written = await writeCertificates(out, set, {
      force,
      writeCaKey: values.writeCaKey ?? false,
      signal: io.signal,
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
        ...(values.keepValid ? { kept: false } : {}),
        files: written,
        dnsNames: set.dnsNames,
        ipAddresses: set.ipAddresses,
        notAfter: set.notAfter.toISOString(),
      };
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    }
    return ExitCode.ok;
  } catch (error) {
    // A stopped or failed run leaves no folder it made behind (only empty ones go).
    await removeFolders(created);
    throw error;
  }
}

async function runVerify(values: Values, stdout: MainContext["stdout"]): Promise<number> {
  const notWithVerify = {
    "ca-cert": values.caCert,
    "ca-key": values.caKey,
    "write-ca-key": values.writeCaKey,
    force: values.force,
    "keep-valid": values.keepValid,
    days: values.days,
    "ca-days": values.caDays,
    "key-size": values.keySize,
    ip: values.ip.length > 0 ? values.ip : undefined,
  };
  for (const [flag, value] of Object.entries(notWithVerify)) {
    if (value !== undefined) throw new UsageError(`--${flag} does not go with verify`);
  }
  const minDays = values.minDays ?? 0;
  const report = await verifyCertificates({ dir: values.out, hosts: values.host, minDays });
  if (values.json) stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    for (const status of report.certificates) {
      stdout.write(`${status.file}: ${status.daysLeft} days left (until ${status.notAfter})\n`);
    }
  }
  if (!report.ok) {
    throw new VerificationError(
      `${values.out} failed verification:\n  ${report.problems.join("\n  ")}`,
    );
  }
  if (!values.json) stdout.write(`${values.out}: OK\n`);
  return ExitCode.ok;
}

async function readCa(certFile: string, keyFile: string) {
  const read = (file: string, flag: string) =>
    readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read ${flag} ${file}: ${error.code ?? error.message}`, {
        cause: error,
      });
    });
  return {
    cert: await read(certFile, "--ca-cert"),
    key: await read(keyFile, "--ca-key"),
    source: certFile,
    keySource: keyFile,
  };
}
