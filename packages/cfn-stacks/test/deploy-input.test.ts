import { describe, expect, it } from "vitest";
import { useHarness } from "./harness.js";

// Stand-ins: CloudFormation (a stateful fake over aws-sdk-client-mock) and S3
// (aws-sdk-client-mock). The templates, the workspace and the zips are real files.
const h = useHarness();

describe("deploy input errors", () => {
  it("rejects an invalid template before any AWS call, naming file and line", async () => {
    const code = await h.cli("deploy", "broken", "--env", "test", "--yes");
    expect(code).toBe(1);
    expect(h.out.lines).toEqual([
      "stacks/broken.yaml:8: Sub Missing: no such parameter or resource",
    ]);
    expect(h.errors).toEqual([
      "restyled-stacks: broken: 1 problem(s) in the template; fix them first",
    ]);
    expect(h.cfn.mock.calls()).toEqual([]);
  });

  it.each([
    [["deploy", "plain"], 78, "deploy needs --env ENV (or RESTYLED_ENV)"],
    [
      ["deploy", "plain", "--env", "Prod"],
      64,
      'restyled-stacks: --env: "Prod" is not an environment name (a lowercase letter, then up to 30 lowercase letters, digits or dashes, as the stacks require)',
    ],
    [["deploy", "--env", "test"], 64, "deploy takes exactly one stack name"],
    [
      ["deploy", "plain", "--env", "test", "--param", "Nope=1"],
      64,
      "--param Nope: the template has no such parameter (it has Environment)",
    ],
    [
      ["deploy", "queue", "--env", "test", "--param", "RetentionSecs=60"],
      64,
      "restyled-stacks: --param RetentionSecs: the template has no such parameter (did you mean RetentionSeconds?)",
    ],
    [["diff", "--all", "--env", "test"], 64, "--all goes with deploy"],
    [
      ["deploy", "plain", "--env", "test", "--param", "novalue"],
      64,
      "--param novalue: expected KEY=VALUE with an alphanumeric KEY",
    ],
    [
      ["deploy", "plain", "--env", "test", "--param", "Environment=x"],
      64,
      "set the environment with --env, not --param Environment=…",
    ],
    [
      ["deploy", "plain", "--env", "test", "--bogus"],
      64,
      "restyled-stacks: unknown option '--bogus' (see --help)",
    ],
    [["frobnicate"], 64, "restyled-stacks: unknown command frobnicate (see --help)"],
  ])("%j exits %i: %s", async (argv, status, message) => {
    const code = await h.cli(...(argv as string[]));
    expect(code).toBe(status);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toContain(message);
    // Refused before any AWS call.
    expect(h.cfn.mock.calls()).toEqual([]);
  });
});
