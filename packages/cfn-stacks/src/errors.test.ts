import { ConfigError, UnavailableError } from "@restyled/core/errors";
import { describe, expect, it } from "vitest";
import { describeFailure, StackOperationError } from "./errors.js";

describe("describeFailure", () => {
  it("names the call of an SDK timeout, as unavailable (69)", () => {
    const timeout = Object.assign(new Error("a request has exceeded the configured 500 ms"), {
      name: "TimeoutError",
      $call: "cloudformation:DescribeStacks",
    });
    const described = describeFailure(timeout);
    expect(described).toBeInstanceOf(UnavailableError);
    expect((described as Error).message).toBe(
      "cloudformation:DescribeStacks: AWS did not answer in time (a request has exceeded the configured 500 ms)",
    );
  });

  it("turns a missing region into a configuration error (78)", () => {
    const described = describeFailure(new Error("Region is missing"));
    expect(described).toBeInstanceOf(ConfigError);
    expect((described as Error).message).toMatch(/^no AWS region for AWS: set AWS_REGION/);
  });

  it("leaves our own errors and plain bugs alone", () => {
    const ours = new StackOperationError("busy");
    expect(describeFailure(ours)).toBe(ours);
    const bug = new TypeError("x is undefined");
    expect(describeFailure(bug)).toBe(bug);
  });
});
