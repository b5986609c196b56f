import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ConfigError, LambdaCodeError } from "./errors.js";
import type { Logger } from "./logger.js";
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
    const body = await readFile(zipPath).catch((error: unknown) => {
      throw new ConfigError(`${zipPath} is missing; build ${code.packageName} first`, {
        cause: error,
      });
    });
    const sha256 = createHash("sha256").update(body).digest();
    const short = code.packageName.replace(/^@[^/]+\//, "");
    artifacts.push({
      ...code,
      zipPath,
      body,
      sha256,
      key: `lambda/${short}/${sha256.toString("hex")}.zip`,
    });
  }
  return artifacts;
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
