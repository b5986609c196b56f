import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { InputError } from "./errors.js";

export const KEY_SIZES = [2048, 3072, 4096] as const;
export type KeySize = (typeof KEY_SIZES)[number];

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * Generates an RSA key with OpenSSL inside Node. It runs on libuv's thread
 * pool, so several keys started together are generated concurrently.
 */
export async function generateRsaKey(modulusLength: KeySize): Promise<KeyObject> {
  const { privateKey } = await generateKeyPairAsync("rsa", {
    modulusLength,
    publicExponent: 0x10001,
  });
  return privateKey;
}

/** PKCS#8 PEM, the format dockerd and Docker clients read. */
export function privateKeyToPem(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

/** SubjectPublicKeyInfo DER of a private key's public half. */
export function publicKeyDer(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: "spki", format: "der" });
}

/** Reads an existing CA's RSA private key (PKCS#1 or PKCS#8 PEM, unencrypted). */
export function parseCaKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    const encrypted = /ENCRYPTED/.test(pem);
    throw new InputError(
      encrypted
        ? `${source} is encrypted; decrypt it first (openssl pkey -in ${source} -out ca-key-decrypted.pem)`
        : `${source} is not a PEM private key`,
      { cause: error },
    );
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new InputError(`${source} is a ${key.asymmetricKeyType} key; only RSA CAs are supported`);
  }
  return key;
}
