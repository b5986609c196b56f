// URL rules shared by the option parsers and the restyled.io client.

/** Whether a URL's hostname is loopback: `localhost`, `*.localhost`, 127.0.0.0/8, `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    host === "[::1]" ||
    host === "::1"
  );
}

/**
 * Checks a URL that will carry a credential: https, or plain http only to a
 * loopback host (local stand-ins); no credentials inside the URL itself.
 * Returns the parsed URL or throws a plain `Error` that never echoes a password.
 */
export function checkHttpsUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error("is not a URL");
  }
  if (url.username || url.password) {
    throw new Error(`must not carry credentials (${url.protocol}//***@${url.host})`);
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url;
  if (url.protocol === "http:") {
    throw new Error(
      `"${url.origin}" must use https: plain http is allowed only to loopback (it would send credentials in the clear)`,
    );
  }
  throw new Error(`"${url.protocol}" is not https`);
}
