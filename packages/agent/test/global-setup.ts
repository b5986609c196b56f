import { createCertificates, writeCertificates } from "@restyled/init-certificates";
import { defineServices } from "@restyled/testkit/global-setup";

// A real dockerd with mutual TLS, its certificates made by init-certificates.
export default defineServices({
  docker: {
    issueCertificates: async (dir) => {
      await writeCertificates(
        dir,
        await createCertificates({ hosts: ["localhost"], ips: ["127.0.0.1"], keySize: 2048 }),
      );
    },
  },
});
