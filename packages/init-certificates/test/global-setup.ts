import { defineServices } from "@restyled/testkit/global-setup";
import { createCertificates, writeCertificates } from "../src/index.js";

// The daemon under test is secured by this package's own output.
export default defineServices({
  docker: {
    issueCertificates: async (dir) => {
      const set = await createCertificates({ hosts: ["localhost"], keySize: 2048 });
      await writeCertificates(dir, set, { writeCaKey: true });
    },
  },
});
