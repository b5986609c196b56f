import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readNeeds, requirementsFor, runWithServices } from "./run-with-services.js";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function setups(files: Record<string, string>): Promise<string[]> {
  dir = await mkdtemp(join(tmpdir(), "testkit-needs-"));
  const paths: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(dir, name), text);
    paths.push(join(dir, name));
  }
  return paths;
}

describe("readNeeds", () => {
  it("collects the services every package's global setup asks for", async () => {
    const files = await setups({
      "a.ts": "export default defineServices({ redis: true });",
      "b.ts": "export default defineServices({\n  docker: {\n    issueCertificates: f,\n  },\n});",
    });
    expect(await readNeeds([...files, "/nonexistent/global-setup.ts"])).toEqual({
      redis: true,
      docker: true,
      postgres: false,
    });
  });

  it("asks for nothing when no package uses defineServices", async () => {
    const files = await setups({ "a.ts": "// redis: true, but no defineServices call" });
    expect(await readNeeds(files)).toEqual({ redis: false, docker: false, postgres: false });
    expect(requirementsFor(await readNeeds(files))).toEqual([]);
  });

  it("maps postgres to Debian's postgresql package", async () => {
    const files = await setups({ "a.ts": "defineServices({ postgres: true })" });
    expect(requirementsFor(await readNeeds(files)).map((r) => r.debianPackage)).toEqual([
      "postgresql",
    ]);
  });
});

describe("runWithServices without services", () => {
  const none = { redis: false, docker: false, postgres: false };
  const noCertificates = async () => {
    throw new Error("no dockerd was asked for");
  };

  it("runs the command after the build and leaves with its exit code", async () => {
    const lines: string[] = [];
    const order: string[] = [];
    const code = await runWithServices({
      needs: none,
      say: (line) => lines.push(line),
      build: async () => {
        order.push("build");
        return 0;
      },
      issueCertificates: noCertificates,
      command: [process.execPath, "-e", "process.exit(3)"],
    });
    expect(code).toBe(3);
    expect(order).toEqual(["build"]);
    expect(lines).toEqual([]);
  });

  it("stops before the tests when the build fails", async () => {
    dir = await mkdtemp(join(tmpdir(), "testkit-run-"));
    const marker = join(dir, "tests-ran");
    const code = await runWithServices({
      needs: none,
      say: () => undefined,
      build: async () => 2,
      issueCertificates: noCertificates,
      command: [
        process.execPath,
        "-e",
        `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`,
      ],
    });
    expect(code).toBe(2);
    await expect(access(marker)).rejects.toThrow(/ENOENT/);
  });
});
