import { defineServices } from "@restyled/testkit/global-setup";

export default defineServices({ redis: true });
