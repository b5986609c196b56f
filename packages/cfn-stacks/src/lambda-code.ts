import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "@restyled/core/logger";
import { ConfigError, LambdaCodeError } from "./errors.js";
import { sectionOf, stringOf, type Template } from "./template.js";
import { workspacePackages } from "./workspace.js";

/** The template metadata key listing which parameter receives which package's S3 key. */
export const LAMBDA_CODE_METADATA = "Restyled::LambdaCode";
/** Every template with Lambda code takes the bucket in this parameter. */
export const CODE_BUCKET_PARAMETER = "CodeBucket";

export interface LambdaCode {
  /** The template parameter that receives the S3 key, e.g. `AutoscaleCodeKey`. */
  parameter: string;
  /** The workspace package that builds `dist/lambda.zip`, e.g. `@restyled/autoscale`. */
  packageName: string;
}

export interface LambdaArtifact extends LambdaCode {
  zipPath: string;
  /** `lambda/<package>/<sha256>.zip`: same code, same key, so re-runs upload nothing. */
  key: string;
  body: Buffer;
  sha256: Buffer;
}

/** The Lambda packages a template declares in its `Restyled::LambdaCode` metadata. */
export function lambdaCodeOf(template: Template): LambdaCode[] {
  const metadata = sectionOf(template, "Metadata");
  const declared = metadata?.entries.find((e) => e.key === LAMBDA_CODE_METADATA)?.value;
  if (declared?.kind !== "map") return [];
  return declared.entries.flatMap(({ key, value }) => {
    const packageName = stringOf(value);
    return packageName ? [{ parameter: key, packageName }] : [];
  });
}

export type RunCommand = (command: string, args: string[], cwd: string) => Promise<void>;

/** Runs a command with its output on stderr, so stdout stays the operator's report. */
export const runCommand: RunCommand = (command, args, cwd) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", process.stderr, process.stderr] });
    child.on("error", (error) =>
      reject(new LambdaCodeError(`cannot run ${command}: ${error.message}`, { cause: error })),
    );
    child.on("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new LambdaCodeError(`${command} ${args.join(" ")} failed (${signal ?? code})`)),
    );
  });

/** Builds the packages (with their workspace dependencies) through pnpm and turbo's task graph. */
export async function buildLambdaPackages(options: {
  root: string;
  code: LambdaCode[];
  run?: RunCommand;
  logger: Logger;
}): Promise<void> {
  if (options.code.length === 0) return;
  const filters = options.code.flatMap((c) => ["--filter", `${c.packageName}...`]);
  options.logger.info("building Lambda packages", {
    packages: options.code.map((c) => c.packageName),
  });
  await (options.run ?? runCommand)("pnpm", [...filters, "run", "build"], options.root);
}

/** An artifact named by its content hash. */
function artifactOf(code: LambdaCode, zipPath: string, body: Buffer): LambdaArtifact {
  const sha256 = createHash("sha256").update(body).digest();
  const short = code.packageName.replace(/^@[^/]+\//, "");
  return { ...code, zipPath, body, sha256, key: `lambda/${short}/${sha256.toString("hex")}.zip` };
}

async function readZip(zipPath: string, missing: string): Promise<Buffer> {
  return readFile(zipPath).catch((error: unknown) => {
    throw new ConfigError(`${zipPath} is missing; ${missing}`, { cause: error });
  });
}

/** Whether a workspace holds every package the code comes from (then it is built there). */
export async function workspaceHasPackages(root: string, code: LambdaCode[]): Promise<boolean> {
  const packages = await workspacePackages(root);
  return code.every((c) => packages.has(c.packageName));
}

/** Reads each package's `dist/lambda.zip` and names it by its content hash. */
export async function readLambdaArtifacts(options: {
  root: string;
  code: LambdaCode[];
}): Promise<LambdaArtifact[]> {
  if (options.code.length === 0) return [];
  const packages = await workspacePackages(options.root);
  const artifacts: LambdaArtifact[] = [];
  for (const code of options.code) {
    const dir = packages.get(code.packageName);
    if (!dir) {
      throw new ConfigError(
        `${code.parameter}: no workspace package ${code.packageName} under ${join(options.root, "packages")}`,
      );
    }
    const zipPath = join(dir, "dist", "lambda.zip");
    artifacts.push(
      artifactOf(code, zipPath, await readZip(zipPath, `build ${code.packageName} first`)),
    );
  }
  return artifacts;
}

/**
 * Where the published Lambda packages are when there is no checkout: installed
 * next to @restyled/cfn-stacks (they are its dependencies), at the versions
 * this release pins.
 */
export interface LambdaSource {
  /** node_modules directories are searched from here upwards, as Node resolves packages. */
  from: string;
  /** Package name → the exact version this release deploys. */
  pinned: Record<string, string>;
}

/** The installed cfn-stacks' own source: its directory and its package.json's pins. */
export function installedLambdaSource(): LambdaSource {
  const from = dirname(fileURLToPath(import.meta.url));
  try {
    const manifest = JSON.parse(readFileSync(join(from, "..", "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    return { from, pinned: manifest.dependencies ?? {} };
  } catch {
    return { from, pinned: {} };
  }
}

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** Reads the zips of the installed, pinned packages: the published `dist/lambda.zip`. */
export async function readInstalledArtifacts(options: {
  source: LambdaSource;
  code: LambdaCode[];
}): Promise<LambdaArtifact[]> {
  const artifacts: LambdaArtifact[] = [];
  for (const code of options.code) {
    const pinned = options.source.pinned[code.packageName];
    if (!pinned) {
      throw new ConfigError(
        `${code.parameter}: this @restyled/cfn-stacks does not pin ${code.packageName}; deploy from a checkout of the repository`,
      );
    }
    const dir = findInstalledPackage(options.source.from, code.packageName);
    if (!dir) {
      throw new ConfigError(
        `${code.parameter}: ${code.packageName}@${pinned} is not installed next to @restyled/cfn-stacks; reinstall it`,
      );
    }
    const { version } = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
      version?: string;
    };
    if (EXACT_VERSION.test(pinned) && version !== pinned) {
      throw new ConfigError(
        `${code.parameter}: found ${code.packageName}@${version} but this release deploys ${pinned}; reinstall @restyled/cfn-stacks`,
      );
    }
    const zipPath = join(dir, "dist", "lambda.zip");
    const body = await readZip(
      zipPath,
      `the published ${code.packageName}@${version} has no Lambda zip`,
    );
    artifacts.push(artifactOf(code, zipPath, body));
  }
  return artifacts;
}

function findInstalledPackage(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NotFound" || e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404;
}

/** Uploads the artifacts that are not in the bucket yet; returns the keys uploaded. */
export async function uploadLambdaArtifacts(options: {
  s3: S3Client;
  bucket: string;
  artifacts: LambdaArtifact[];
  logger: Logger;
}): Promise<string[]> {
  const uploaded: string[] = [];
  for (const artifact of options.artifacts) {
    const location = { Bucket: options.bucket, Key: artifact.key };
    try {
      await options.s3.send(new HeadObjectCommand(location));
      options.logger.info("Lambda code already uploaded", {
        bucket: options.bucket,
        key: artifact.key,
      });
      continue;
    } catch (error) {
      if (!isNotFound(error)) {
        throw new LambdaCodeError(
          `cannot check s3://${options.bucket}/${artifact.key}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    }
    try {
      await options.s3.send(
        new PutObjectCommand({
          ...location,
          Body: artifact.body,
          ContentType: "application/zip",
          ChecksumSHA256: artifact.sha256.toString("base64"),
        }),
      );
    } catch (error) {
      throw new LambdaCodeError(
        `cannot upload s3://${options.bucket}/${artifact.key}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    options.logger.info("uploaded Lambda code", {
      bucket: options.bucket,
      key: artifact.key,
      bytes: artifact.body.length,
    });
    uploaded.push(artifact.key);
  }
  return uploaded;
}
