import { readFileSync } from "node:fs";

/**
 * This package's version, from its package.json: `../package.json` from both
 * `src/` and the bundled `dist/`, so `--version` cannot drift from the release.
 */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;
