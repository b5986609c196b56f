import { describe, expect, it } from "vitest";
import { isSignedFor } from "./sigv4.js";

const signed = (scope: string) => ({
  headers: {
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEST/20260501/${scope}/aws4_request, SignedHeaders=host, Signature=abc`,
  },
});

describe("isSignedFor", () => {
  it("accepts a signature scoped to the service, in any region unless one is named", () => {
    expect(isSignedFor(signed("us-east-1/ssm"), "ssm")).toBe(true);
    expect(isSignedFor(signed("eu-west-2/ssm"), "ssm")).toBe(true);
    expect(isSignedFor(signed("us-east-1/ssm"), "ssm", "us-east-1")).toBe(true);
  });

  it("refuses no signature, another service's or another region's", () => {
    expect(isSignedFor({ headers: {} }, "ssm")).toBe(false);
    expect(isSignedFor({ headers: { authorization: "Bearer x" } }, "ssm")).toBe(false);
    expect(isSignedFor(signed("us-east-1/ecs"), "ssm")).toBe(false);
    expect(isSignedFor(signed("eu-west-2/ssm"), "ssm", "us-east-1")).toBe(false);
  });
});
