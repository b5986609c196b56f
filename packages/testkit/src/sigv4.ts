import type { IncomingHttpHeaders } from "node:http";

/**
 * Whether a request carries a SigV4 `Authorization` header scoped to `service`
 * (and to `region`, when given). AWS refuses an unsigned request before it
 * reads it, so stand-ins of AWS services do too.
 */
export function isSignedFor(
  request: { headers: IncomingHttpHeaders },
  service: string,
  region = "[a-z0-9-]+",
): boolean {
  const credential = new RegExp(
    `^AWS4-HMAC-SHA256 Credential=[^/]+/\\d{8}/${region}/${service}/aws4_request`,
  );
  return credential.test(String(request.headers.authorization ?? ""));
}
