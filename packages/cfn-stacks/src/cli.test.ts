import { describe, expect, it } from "vitest";
import { runCli } from "./cli.js";
import { UsageError } from "./errors.js";
import { captureOutput } from "./output.js";
import { confirmOnTerminal } from "./prompt.js";

describe("restyled-stacks --help", () => {
  it("lists every command and exits 0", async () => {
    const out = captureOutput();
    expect(await runCli(["--help"], { out })).toBe(0);
    for (const command of ["validate", "diff", "deploy", "outputs", "delete"]) {
      expect(out.text()).toContain(`restyled-stacks ${command}`);
    }
  });

  it("prints the help and exits 64 without a command", async () => {
    const out = captureOutput();
    expect(await runCli([], { out })).toBe(64);
    expect(out.text()).toContain("Usage:");
  });
});

describe("confirmOnTerminal", () => {
  it("refuses to guess when there is no terminal to ask on", async () => {
    // Test runners give no TTY on stdin, as CI does.
    await expect(confirmOnTerminal("Deploy?")).rejects.toThrow(
      new UsageError("Deploy? (no terminal to ask on: pass --yes to proceed)"),
    );
  });
});

describe("restyled-stacks --version", () => {
  it("prints the package's own version", async () => {
    const { readFile } = await import("node:fs/promises");
    const manifest = JSON.parse(
      await readFile(new URL("../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    const out = captureOutput();
    expect(await runCli(["--version"], { out })).toBe(0);
    expect(out.lines).toEqual([manifest.version]);
  });
});
