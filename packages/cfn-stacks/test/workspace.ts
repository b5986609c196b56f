import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const fixtureStacks = fileURLToPath(new URL("./fixtures/workspace/stacks", import.meta.url));

export interface FixtureWorkspace {
  root: string;
  stacksDir: string;
  zip: Buffer;
  /** The S3 key deploy must use for the fixture zip. */
  expectedKey: string;
  cleanup(): Promise<void>;
}

/**
 * A throw-away pnpm workspace: the fixture templates in stacks/ and one Lambda
 * package whose dist/lambda.zip stands in for a built handler.
 */
export async function makeWorkspace(): Promise<FixtureWorkspace> {
  const root = await mkdtemp(join(tmpdir(), "cfn-stacks-ws-"));
  await writeFile(join(root, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
  await cp(fixtureStacks, join(root, "stacks"), { recursive: true });
  const pkg = join(root, "packages", "fixture-worker");
  await mkdir(join(pkg, "dist"), { recursive: true });
  await writeFile(join(pkg, "package.json"), JSON.stringify({ name: "@restyled/fixture-worker" }));
  const zip = Buffer.from(`PK\u0003\u0004 fixture handler ${root}`);
  await writeFile(join(pkg, "dist", "lambda.zip"), zip);
  const hash = createHash("sha256").update(zip).digest("hex");
  return {
    root,
    stacksDir: join(root, "stacks"),
    zip,
    expectedKey: `lambda/fixture-worker/${hash}.zip`,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
