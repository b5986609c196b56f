import { describe, expect, it } from "vitest";
import {
  ENVIRONMENT_NAME_PATTERN,
  lifecycleHookName,
  logGroupName,
  machineHost,
  machineName,
  parameterName,
  parseEnvironmentName,
  parseRestylerQueues,
  SSM_KEYS,
} from "./contract.js";

describe("environment names", () => {
  it("is the stacks' AllowedPattern", () => {
    expect(ENVIRONMENT_NAME_PATTERN.source).toBe("^[a-z][a-z0-9-]{0,30}$");
  });

  it.each(["prod", "staging-2", "a", `a${"b".repeat(30)}`])("accepts %s", (name) => {
    expect(parseEnvironmentName(name)).toBe(name);
  });

  it.each(["Prod_1", "prod.1", "1prod", "-x", "", `a${"b".repeat(31)}`, "PROD"])(
    "refuses %j",
    (name) => {
      expect(() => parseEnvironmentName(name)).toThrow(
        /is not an environment name \(a lowercase letter/,
      );
    },
  );
});

describe("names", () => {
  it("follow the contract", () => {
    expect(parameterName("prod", SSM_KEYS.restyledApiToken)).toBe(
      "/restyled/prod/restyled-api-token",
    );
    expect(Object.values(SSM_KEYS)).toEqual([
      "redis-url",
      "heroku-api-key",
      "restyled-api-token",
      "logdna-key",
      "database-url",
      "github-app-id",
      "github-app-key",
      "github-rate-limit-token",
    ]);
    expect(machineName("prod", "i-0abc")).toBe("restyled-prod-i-0abc");
    expect(machineHost("ec2-1-2-3-4.compute.amazonaws.com")).toBe(
      "tcp://ec2-1-2-3-4.compute.amazonaws.com:2376",
    );
    expect(logGroupName("prod", "webhooks")).toBe("restyled/prod/webhooks");
    expect(lifecycleHookName("prod", "terminating")).toBe("restyled-machine-prod-terminating");
  });
});

describe("parseRestylerQueues", () => {
  it("reads restyled.io's name[/weight] list", () => {
    expect(parseRestylerQueues("restyled:hooks:webhooks/2, restyled:agent:webhooks")).toEqual([
      { name: "restyled:hooks:webhooks", weight: 2 },
      { name: "restyled:agent:webhooks", weight: 1 },
    ]);
  });

  it.each([
    ["a,,b", "entry 2 is empty (expected name[/weight],…)"],
    ["a/0", '"a/0" has weight "0", not a positive integer'],
    ["a/x", '"a/x" has weight "x", not a positive integer'],
    ["/2", '"/2" has no valid queue name'],
    ["a,a/2", 'queue "a" is listed twice'],
  ])("refuses %j", (text, message) => {
    expect(() => parseRestylerQueues(text)).toThrow(message);
  });
});
