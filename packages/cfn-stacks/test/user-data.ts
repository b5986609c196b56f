import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { promisify } from "node:util";
import { expect } from "vitest";
import { asIntrinsic } from "../src/intrinsics.js";
import { fieldOf, loadTemplates, sectionOf, stringOf } from "../src/template.js";
import { shippedStacks } from "./shipped-templates.js";

const run = promisify(execFile);

/**
 * The text between `# begin NAME` and `# end NAME` in the shipped machines
 * user data, as written in the template (Fn::Sub variables not filled in).
 */
export async function userDataPart(name: string): Promise<string> {
  const text = await userDataText();
  const part = new RegExp(`# begin ${name}\\n([\\s\\S]*?)# end ${name}`).exec(text)?.[1];
  expect(part, `user-data has a '# begin ${name}' … '# end ${name}' part`).toBeDefined();
  return part ?? "";
}

/** The shipped machines user data, as written in the template (Fn::Sub text). */
export async function userDataText(): Promise<string> {
  const { templates, problems } = await loadTemplates(shippedStacks);
  expect(problems).toEqual([]);
  const machines = templates.find((t) => t.stack === "machines");
  const resources = machines && sectionOf(machines, "Resources");
  let value = resources && fieldOf(resources, "LaunchTemplate");
  for (const key of ["Properties", "LaunchTemplateData", "UserData"])
    value = value?.kind === "map" ? fieldOf(value, key) : undefined;
  const sub = value && asIntrinsic(value);
  const text = sub && stringOf(asIntrinsic(sub.arg)?.arg);
  expect(text, "the launch template's UserData is Fn::Base64 of Fn::Sub text").toBeDefined();
  return text ?? "";
}

/** How Fn::Sub writes a parameter reference. */
export const subVariable = (name: string) => ["$", `{${name}}`].join("");

/**
 * Fills in a part: each `variables` entry replaces its Fn::Sub reference, each
 * `assign` entry the line that sets that shell variable (a stand-in's URL, a
 * scratch folder), so the part runs here unchanged otherwise.
 */
export function renderPart(
  part: string,
  options: { variables?: Record<string, string>; assign?: Record<string, string> },
): string {
  let text = part;
  for (const [name, value] of Object.entries(options.variables ?? {}))
    text = text.replaceAll(subVariable(name), value);
  const lines = text.split("\n");
  for (const [name, value] of Object.entries(options.assign ?? {})) {
    const index = lines.findIndex((line) => line.trim().startsWith(`${name}=`));
    expect(index, `the part sets ${name}`).toBeGreaterThanOrEqual(0);
    lines[index] = `${name}=${value}`;
  }
  return `set -euo pipefail\n${lines.map((line) => line.trim()).join("\n")}`;
}

/** Runs a rendered part with bash, in `scratch` as TMPDIR, and never rejects. */
export async function runPart(script: string, scratch: string) {
  await mkdir(scratch, { recursive: true });
  // --norc: bash would read ~/.bashrc when its input looks like a network connection.
  return run("bash", ["--norc", "--noprofile", "-c", script], {
    env: { PATH: process.env.PATH, TMPDIR: scratch },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}
