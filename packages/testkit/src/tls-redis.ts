import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort } from "./free-port.js";
import { startRedis } from "./redis.js";

export interface TlsRedis {
  /** The plain `redis://` URL of the same server, for setting up data. */
  plainUrl: string;
  /** `rediss://:PASSWORD@127.0.0.1:TLS_PORT` */
  url: string;
  /** The PEM of the self-signed CA that issued the server certificate. */
  caFile: string;
  stop(): Promise<void>;
}

/**
 * A real redis-server with a TLS port, its certificate issued by a throwaway
 * CA the way Heroku Redis's are self-signed: untrusted unless the client is
 * given the CA or skips verification. The plain port stays open only because
 * the testkit's readiness check uses it.
 */
export async function startTlsRedis(password: string): Promise<TlsRedis> {
  const dir = await mkdtemp(join(tmpdir(), "restyled-tls-redis-"));
  try {
    issueCertificate(dir);
    const tlsPort = await findFreePort();
    const redis = await startRedis({
      password,
      extraArgs: [
        "--tls-port",
        String(tlsPort),
        "--tls-cert-file",
        join(dir, "server.pem"),
        "--tls-key-file",
        join(dir, "server-key.pem"),
        "--tls-ca-cert-file",
        join(dir, "ca.pem"),
        "--tls-auth-clients",
        "no",
      ],
    });
    return {
      url: `rediss://:${encodeURIComponent(password)}@127.0.0.1:${tlsPort}`,
      plainUrl: redis.url,
      caFile: join(dir, "ca.pem"),
      async stop() {
        await redis.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A CA and a server certificate for 127.0.0.1 and localhost, with openssl. */
function issueCertificate(dir: string): void {
  const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const rsa = ["-newkey", "rsa:2048", "-nodes"];
  openssl(
    ["req", "-x509", ...rsa, "-days", "1", "-subj", "/CN=Test Redis CA"].concat([
      "-keyout",
      "ca-key.pem",
      "-out",
      "ca.pem",
    ]),
  );
  openssl(
    ["req", "-new", ...rsa, "-subj", "/CN=127.0.0.1", "-keyout", "server-key.pem"].concat([
      "-out",
      "server.csr",
    ]),
  );
  writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  openssl(
    ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem"].concat([
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      "san.ext",
      "-out",
      "server.pem",
    ]),
  );
}
