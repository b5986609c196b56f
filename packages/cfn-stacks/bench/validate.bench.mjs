#!/usr/bin/env node
// How much the full offline validation costs over merely parsing the
// templates. Baseline: the `yaml` package's plain parse of the same five
// templates, run in this same process. Prints the ratio; not a timed test.
//
//   pnpm --filter @restyled/cfn-stacks bench     (after build)
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { parseCfnYaml, validateStacks } from "../dist/index.js";

const stacksDir = fileURLToPath(new URL("../../../stacks", import.meta.url));
const files = readdirSync(stacksDir).filter((f) => f.endsWith(".yaml"));
const texts = files.map((f) => readFileSync(join(stacksDir, f), "utf8"));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

// CloudFormation tags accepted by a plain parse, so the baseline parses the same text.
const tags = [
  "Ref",
  "Sub",
  "GetAtt",
  "ImportValue",
  "If",
  "Join",
  "Select",
  "GetAZs",
  "Split",
  "FindInMap",
  "Equals",
  "Not",
  "And",
  "Or",
  "Condition",
  "Base64",
  "Cidr",
].flatMap((n) => [
  { tag: `!${n}`, resolve: (v) => v },
  { tag: `!${n}`, collection: "seq", resolve: (v) => v },
  { tag: `!${n}`, collection: "map", resolve: (v) => v },
]);

async function time(label, rounds, fn) {
  await fn(); // warm up (and, for validate, load the resource specification once)
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / rounds;
  console.log(`${label.padEnd(44)} ${ms.toFixed(2)} ms per run of ${files.length} templates`);
  return ms;
}

// The first validation also loads the resource specification (once per process).
const coldStart = process.hrtime.bigint();
await validateStacks({ dir: stacksDir });
const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;

const baseline = await time("baseline: yaml.parse", ROUNDS, () => {
  for (const text of texts) parse(text, { customTags: tags });
});
const located = await time("parseCfnYaml (tags to long form, lines)", ROUNDS, () => {
  for (const text of texts) parseCfnYaml(text);
});
const full = await time("validateStacks (every check, spec loaded)", ROUNDS, () =>
  validateStacks({ dir: stacksDir }),
);
const { problems } = await validateStacks({ dir: stacksDir });
if (problems.length > 0) throw new Error(`the shipped templates have ${problems.length} problems`);
console.log(`parseCfnYaml / baseline:   ${(located / baseline).toFixed(2)}x`);
console.log(`validateStacks / baseline: ${(full / baseline).toFixed(2)}x`);
console.log(
  `first validation, loading the specification: ${coldMs.toFixed(0)} ms (${(coldMs / baseline).toFixed(1)}x baseline)`,
);
