import { defineServices } from "@restyled/testkit/global-setup";

// One real redis-server and one real PostgreSQL (password, TLS offered) for
// the whole run; TLS and password-protected Redis servers are started by the
// tests that need them.
export default defineServices({ redis: true, postgres: true });
