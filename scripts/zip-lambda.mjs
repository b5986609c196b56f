#!/usr/bin/env node
// Zips a bundled Lambda handler reproducibly (fixed timestamps, sorted
// entries), so the same code always has the same content hash for its S3 key,
// and fails the build when the archive is over its size budget.
//
//   node ../../scripts/zip-lambda.mjs --out dist/lambda.zip --max-kb 500 \
//     dist/handler.mjs:index.mjs [more files as SOURCE:NAME_IN_ZIP]
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { zipSync } from "fflate";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: "string" }, "max-kb": { type: "string" } },
});
if (!values.out || !values["max-kb"] || positionals.length === 0) {
  console.error("usage: zip-lambda.mjs --out FILE.zip --max-kb N SOURCE:NAME...");
  process.exit(64);
}
const maxBytes = Number(values["max-kb"]) * 1024;
const mtime = new Date("2020-01-01T00:00:00Z");
const entries = {};
for (const spec of [...positionals].sort()) {
  const [source, name = source] = spec.split(":");
  entries[name] = [readFileSync(source), { mtime, level: 9 }];
}
const zip = zipSync(entries);
writeFileSync(values.out, zip);
const kb = (zip.length / 1024).toFixed(1);
if (zip.length > maxBytes) {
  console.error(`${values.out} is ${kb} KB, over its budget of ${values["max-kb"]} KB`);
  process.exit(1);
}
console.error(`${values.out}: ${kb} KB (budget ${values["max-kb"]} KB)`);
