export {
  type CertificateSet,
  type CreateCertificatesOptions,
  createCertificates,
  type KeyPair,
} from "./create-certificates.js";
export { InputError, OutputError, UsageError, VerificationError } from "./errors.js";
export type { KeySize } from "./keys.js";
export {
  type CertificateStatus,
  type VerifyOptions,
  type VerifyReport,
  verifyCertificates,
} from "./verify-certificates.js";
export {
  type OutputFile,
  outputFiles,
  type WriteCertificatesOptions,
  type WrittenFile,
  writeCertificates,
} from "./write-certificates.js";
