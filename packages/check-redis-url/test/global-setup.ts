import { defineServices } from "@restyled/testkit/global-setup";

// One real redis-server for the whole run; TLS and password-protected servers
// are started by the tests that need them.
export default defineServices({ redis: true });
