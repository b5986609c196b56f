// Replaced at build time (tsup `define`, and vitest's for tests) by the
// version in package.json, so `--version` says what was published.
declare const __VERSION__: string;

/** This package's version. */
export const VERSION: string = __VERSION__;
