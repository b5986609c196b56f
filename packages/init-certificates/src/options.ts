import { isIP } from "node:net";
import { UsageError } from "./errors.js";
import { KEY_SIZES, type KeySize } from "./keys.js";

export const DEFAULT_DAYS = 365;
export const DEFAULT_CA_DAYS = 3650;
export const MAX_DAYS = 3650;
export const DEFAULT_KEY_SIZE: KeySize = 4096;

// One DNS label: letters, digits and inner hyphens, at most 63 characters.
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/**
 * Checks a `-H` value: a DNS name a client will connect to. A trailing dot is
 * dropped: certificate checks (OpenSSL's, Go's in Docker) never match a SAN
 * that keeps it.
 */
export function checkHostName(host: string): string {
  const name = host.replace(/\.$/, "");
  const labels = name.split(".");
  if (host.length > 253 || labels.some((label) => !LABEL.test(label))) {
    throw new UsageError(`invalid host name: ${JSON.stringify(host)} (use -i for IP addresses)`);
  }
  if (isIP(host) !== 0) throw new UsageError(`${host} is an IP address: pass it with -i`);
  return name.toLowerCase();
}

/** Checks an `-i` value: an IPv4 or IPv6 address. */
export function checkIpAddress(ip: string): string {
  if (isIP(ip) === 0) throw new UsageError(`invalid IP address: ${JSON.stringify(ip)}`);
  return ip;
}

export function checkDays(days: number, flag = "--days"): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${MAX_DAYS}, not ${days}`);
  }
  return days;
}

export function checkKeySize(size: number): KeySize {
  if (!(KEY_SIZES as readonly number[]).includes(size)) {
    throw new UsageError(`--key-size must be one of ${KEY_SIZES.join(", ")}, not ${size}`);
  }
  return size as KeySize;
}

/** Every name the server certificate must carry: the given ones plus loopback. */
export function serverNames(hosts: string[], ips: string[]) {
  return {
    dnsNames: [...new Set([...hosts.map(checkHostName), "localhost"])],
    ipAddresses: [...new Set([...ips.map(checkIpAddress), "127.0.0.1"])],
  };
}
