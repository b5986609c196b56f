import { createHash, type KeyObject, randomBytes, sign } from "node:crypto";
import { isIP } from "node:net";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from "@peculiar/asn1-x509";
import { publicKeyDer } from "./keys.js";

const SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const COMMON_NAME = "2.5.4.3";
const ORGANIZATION = "2.5.4.10";
export const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
export const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

export type Profile =
  | { kind: "ca" }
  | { kind: "server"; dnsNames: string[]; ipAddresses: string[] }
  | { kind: "client" };

export interface CertificateRequest {
  commonName: string;
  profile: Profile;
  /** The key the certificate is for. */
  subjectKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  /** Who signs: the CA's certificate (DER) and key; absent for a self-signed CA. */
  issuer?: { certificateDer: Buffer; key: KeyObject };
}

/** Builds and signs an X.509 v3 certificate (SHA-256 with RSA); returns its DER. */
export function buildCertificate(request: CertificateRequest): Buffer {
  const subjectPublicKey = publicKeyDer(request.subjectKey);
  const subject = distinguishedName(request.commonName);
  const issuerCertificate = request.issuer
    ? AsnConvert.parse(request.issuer.certificateDer, Certificate)
    : undefined;
  const signingKey = request.issuer?.key ?? request.subjectKey;
  const authorityKeyId = issuerCertificate
    ? keyIdentifier(AsnConvert.serialize(issuerCertificate.tbsCertificate.subjectPublicKeyInfo))
    : keyIdentifier(subjectPublicKey);

  const tbsCertificate = new TBSCertificate({
    version: Version.v3,
    serialNumber: randomSerial(),
    signature: new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null }),
    issuer: issuerCertificate?.tbsCertificate.subject ?? subject,
    validity: new Validity({ notBefore: request.notBefore, notAfter: request.notAfter }),
    subject,
    subjectPublicKeyInfo: AsnConvert.parse(subjectPublicKey, SubjectPublicKeyInfo),
    extensions: new Extensions([
      ...profileExtensions(request.profile),
      extension(
        id_ce_subjectKeyIdentifier,
        false,
        new SubjectKeyIdentifier(keyIdentifier(subjectPublicKey)),
      ),
      extension(
        id_ce_authorityKeyIdentifier,
        false,
        new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(authorityKeyId) }),
      ),
    ]),
  });
  const signature = sign("sha256", Buffer.from(AsnConvert.serialize(tbsCertificate)), signingKey);
  const certificate = new Certificate({
    tbsCertificate,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null }),
    signatureValue: new Uint8Array(signature).buffer,
  });
  return Buffer.from(AsnConvert.serialize(certificate));
}

export function derToPem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

export function pemToDer(pem: string): Buffer {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (!body) throw new Error("not a PEM certificate");
  return Buffer.from(body.replace(/\s+/g, ""), "base64");
}

function profileExtensions(profile: Profile): Extension[] {
  switch (profile.kind) {
    case "ca":
      return [
        // pathlen 0: this CA signs leaf certificates only, never another CA.
        extension(
          id_ce_basicConstraints,
          true,
          new BasicConstraints({ cA: true, pathLenConstraint: 0 }),
        ),
        extension(
          id_ce_keyUsage,
          true,
          new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign),
        ),
      ];
    case "server":
      return [
        ...leafExtensions(SERVER_AUTH),
        extension(
          id_ce_subjectAltName,
          false,
          new SubjectAlternativeName([
            ...profile.dnsNames.map((dNSName) => new GeneralName({ dNSName })),
            ...profile.ipAddresses.map((ip) => new GeneralName({ iPAddress: ipForAsn(ip) })),
          ]),
        ),
      ];
    case "client":
      return leafExtensions(CLIENT_AUTH);
  }
}

function leafExtensions(purpose: string): Extension[] {
  return [
    extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: false })),
    extension(
      id_ce_keyUsage,
      true,
      new KeyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment),
    ),
    extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([purpose])),
  ];
}

function extension(extnID: string, critical: boolean, value: object): Extension {
  return new Extension({
    extnID,
    critical,
    extnValue: new OctetString(AsnConvert.serialize(value)),
  });
}

function distinguishedName(commonName: string): Name {
  const attribute = (type: string, value: string) =>
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) }),
    ]);
  return new Name([attribute(ORGANIZATION, "Restyled"), attribute(COMMON_NAME, commonName)]);
}

/** RFC 5280's method 1: the SHA-1 of the public key's bit string, from its DER. */
function keyIdentifier(subjectPublicKeyInfoDer: Buffer | ArrayBuffer): ArrayBuffer {
  const info = AsnConvert.parse(subjectPublicKeyInfoDer, SubjectPublicKeyInfo);
  const digest = createHash("sha1").update(Buffer.from(info.subjectPublicKey)).digest();
  return new Uint8Array(digest).buffer;
}

/** 128 random bits as the content of a positive DER INTEGER. */
function randomSerial(): ArrayBuffer {
  return new Uint8Array(positiveIntegerContent(randomBytes(16))).buffer;
}

/**
 * DER wants the shortest two's-complement form: no leading zero byte unless
 * the next byte has its top bit set, and a zero byte first when the number's
 * top bit is set (or it would read as negative).
 */
export function positiveIntegerContent(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && (bytes[start + 1] ?? 0) < 0x80) start++;
  const trimmed = bytes.subarray(start);
  return (trimmed[0] ?? 0) >= 0x80 ? Uint8Array.of(0, ...trimmed) : trimmed;
}

/** asn1-x509 takes IPv4 dotted or IPv6 text and encodes the octets itself. */
function ipForAsn(ip: string): string {
  if (isIP(ip) === 0) throw new Error(`not an IP address: ${ip}`);
  return ip;
}
