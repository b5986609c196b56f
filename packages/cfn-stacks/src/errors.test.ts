import { describe, expect, it } from "vitest";
import { asConfigError, ConfigError } from "./errors.js";

describe("asConfigError", () => {
  it("tells the operator how to set a region", () => {
    const mapped = asConfigError(new Error("Region is missing"));
    expect(mapped).toBeInstanceOf(ConfigError);
    expect((mapped as Error).message).toBe("no AWS region: pass --region or set AWS_REGION");
  });

  it("tells the operator how to provide credentials", () => {
    const error = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    expect((asConfigError(error) as Error).message).toMatch(/^no AWS credentials: set AWS_PROFILE/);
  });

  it("leaves other errors alone", () => {
    const error = new Error("Throttling");
    expect(asConfigError(error)).toBe(error);
  });
});
