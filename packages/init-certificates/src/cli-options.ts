import {
  boolean,
  defineOptions,
  formatHelp,
  integer,
  oneOf,
  path,
  string,
} from "@restyled/core/options";
import { DEFAULT_CA_DAYS, DEFAULT_DAYS, DEFAULT_KEY_SIZE, MAX_DAYS } from "./options.js";

/**
 * The command line, one row per option. `--days`, `--key-size` and the
 * switches have no table default so that `verify` can tell they were given;
 * their defaults are applied by the create command.
 */
export const CLI_OPTIONS = defineOptions([
  {
    key: "host",
    flag: "host",
    short: "H",
    parse: string,
    metavar: "HOST",
    multiple: true,
    description: "DNS name clients use for the daemon (required to create)",
  },
  {
    key: "ip",
    flag: "ip",
    short: "i",
    parse: string,
    metavar: "IP",
    multiple: true,
    description: "IP address clients use for the daemon (localhost and 127.0.0.1 are always added)",
  },
  {
    key: "out",
    flag: "out",
    short: "o",
    parse: path,
    metavar: "DIR",
    default: "/certs",
    description: "output folder, created if missing",
  },
  {
    key: "days",
    flag: "days",
    parse: integer({ min: 1, max: MAX_DAYS }),
    description: `validity of the server and client certificates in days (default: ${DEFAULT_DAYS})`,
  },
  {
    key: "caDays",
    flag: "ca-days",
    parse: integer({ min: 1, max: MAX_DAYS }),
    description: `validity of a new CA in days (default: ${DEFAULT_CA_DAYS})`,
  },
  {
    key: "keySize",
    flag: "key-size",
    parse: oneOf(["2048", "3072", "4096"]),
    metavar: "BITS",
    description: `RSA key size: 2048, 3072 or 4096 (default: ${DEFAULT_KEY_SIZE})`,
  },
  {
    key: "caCert",
    flag: "ca-cert",
    parse: path,
    metavar: "FILE",
    description:
      "issue from this existing CA certificate (rotation without re-registering clients)",
  },
  {
    key: "caKey",
    flag: "ca-key",
    parse: path,
    metavar: "FILE",
    description: "the --ca-cert's unencrypted private key",
  },
  {
    key: "writeCaKey",
    flag: "write-ca-key",
    parse: boolean,
    description: "also write a new CA's private key as ca-key.pem (0600)",
  },
  {
    key: "minDays",
    flag: "min-days",
    parse: integer({ min: 0 }),
    description:
      "verify: fail, --keep-valid: re-issue, when a certificate expires within N days (default: 0)",
  },
  {
    key: "force",
    flag: "force",
    parse: boolean,
    description: "replace existing files (otherwise nothing is overwritten)",
  },
  {
    key: "keepValid",
    flag: "keep-valid",
    parse: boolean,
    description:
      "keep an existing set that verifies for every -H and -i (and --min-days); replace it otherwise",
  },
  {
    key: "json",
    flag: "json",
    parse: boolean,
    description: "print what was written (or verified) as JSON on stdout",
  },
]);

export const VERSION_FLAGS = ["-v", "--version"];

/** The `--help` text, generated from the table. */
export function helpText(): string {
  return formatHelp(CLI_OPTIONS, {
    usage: [
      "init-certificates -H HOST [-H HOST…] [-i IP…] [-o DIR] [options]",
      "init-certificates --keep-valid -H HOST [-o DIR] [--min-days N] [options]",
      "init-certificates verify [-o DIR] [-H HOST…] [--min-days N] [--json]",
    ],
    description: [
      "Makes a CA, a server certificate and a client certificate for a Docker daemon",
      "with mutual TLS (dockerd --tlsverify), RSA keys, SHA-256 signatures.",
    ].join("\n"),
    versionFlags: VERSION_FLAGS,
    footer: [
      "verify checks the chain, the keys, the server names given with -H (host names",
      "or IPs) and expiry; it fails when anything is broken, expired or expires",
      "within --min-days.",
      "",
      "--keep-valid (at every boot, for instance) leaves a set that verify would accept",
      "for the -H and -i given alone, and replaces any other: one whose server",
      "certificate names other hosts, is broken, or expires within --min-days.",
      "",
      "Writes ca.pem, server_cert.pem, server_key.pem, client_cert.pem,",
      "client_key.pem and client/{ca,cert,key}.pem (for DOCKER_CERT_PATH).",
      "Keys are 0600, certificates 0644. Files are replaced all at once or not at all.",
      "",
      "Exit codes: 0 done, 1 verify failed or unexpected error, 64 bad usage,",
      "66 unreadable or mismatched CA input, 73 output folder unwritable or already",
      "filled, 78 bad LOG_LEVEL, 130 interrupted.",
      "Environment: LOG_LEVEL (debug, info, warn, error) for the JSON log on stderr.",
    ].join("\n"),
  });
}
