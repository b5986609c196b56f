import { describe, expect, it } from "vitest";
import { refersTo } from "./ecs-consumers.js";

const NAME = "/restyled/prod/redis-url";
const ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/restyled/prod/redis-url";

describe("refersTo (a task definition's secrets[].valueFrom)", () => {
  it("matches the parameter's name, or its ARN in the same region", () => {
    expect(refersTo(NAME, { name: NAME }, "us-east-1")).toBe(true);
    expect(refersTo(ARN, { name: NAME }, "us-east-1")).toBe(true);
    expect(refersTo(ARN, { name: NAME }, undefined)).toBe(true);
    expect(refersTo(ARN, { name: NAME, arn: ARN }, "us-east-1")).toBe(true);
    expect(
      refersTo("arn:aws:ssm:us-east-1:1:parameter/plain", { name: "plain" }, "us-east-1"),
    ).toBe(true);
  });

  it("does not match another region's, another path's or another service's secret", () => {
    expect(refersTo(ARN.replace("us-east-1", "eu-west-1"), { name: NAME }, "us-east-1")).toBe(
      false,
    );
    expect(refersTo(`${ARN}-old`, { name: NAME }, "us-east-1")).toBe(false);
    expect(refersTo("/restyled/prod/redis-url-2", { name: NAME }, "us-east-1")).toBe(false);
    expect(
      refersTo(
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:restyled/prod/redis-url",
        { name: NAME },
        "us-east-1",
      ),
    ).toBe(false);
    // Known ARN: another account's parameter of the same name is not ours.
    expect(
      refersTo(ARN.replace("123456789012", "999999999999"), { name: NAME, arn: ARN }, "us-east-1"),
    ).toBe(false);
  });
});
