import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateRsaKey } from "./keys.js";
import { buildCertificate, derToPem, positiveIntegerContent } from "./x509-builder.js";

describe("positiveIntegerContent", () => {
  it.each([
    [[0x00, 0x00, 0x7f], [0x7f]],
    [
      [0x00, 0x7f, 0x01],
      [0x7f, 0x01],
    ],
    [
      [0x00, 0x80, 0x01],
      [0x00, 0x80, 0x01],
    ],
    [
      [0x80, 0x01],
      [0x00, 0x80, 0x01],
    ],
    [
      [0x01, 0x00],
      [0x01, 0x00],
    ],
    [[0x00, 0x00], [0x00]],
  ])("encodes %j as %j", (input, expected) => {
    expect([...positiveIntegerContent(Uint8Array.from(input))]).toEqual(expected);
  });
});

describe("buildCertificate", () => {
  // One serial in 256 used to start with a zero byte DER does not allow
  // ("illegal padding"): build enough certificates to meet that case.
  it("makes certificates OpenSSL can parse, whatever the random serial", async () => {
    const key = await generateRsaKey(2048);
    const now = new Date();
    for (let i = 0; i < 1500; i++) {
      const der = buildCertificate({
        commonName: "serial-test",
        profile: { kind: "client" },
        subjectKey: key,
        notBefore: now,
        notAfter: new Date(now.getTime() + 60_000),
      });
      const serial = new X509Certificate(derToPem(der)).serialNumber;
      expect(serial).toMatch(/^[0-9A-F]+$/);
    }
    // 1500 signatures: a generous hang guard for a busy machine.
  }, 300_000);
});
