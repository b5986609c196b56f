import { readFileSync } from "node:fs";

/**
 * The published version, read from the package's own package.json (this
 * module runs from src/ in tests and dist/ when installed, both next to it),
 * so `--version` always names what npm installed.
 */
export function packageVersion(): string {
  const text = readFileSync(new URL("../package.json", import.meta.url), "utf8");
  const version = (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === "string" ? version : "unknown";
}
