import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors.js";
import { parseQueues } from "./queues.js";

describe("parseQueues", () => {
  it("reads restyled.io's name[/weight] list", () => {
    expect(parseQueues("restyled:hooks:webhooks/2, restyled:agent:webhooks")).toEqual([
      { name: "restyled:hooks:webhooks", weight: 2 },
      { name: "restyled:agent:webhooks", weight: 1 },
    ]);
  });

  it("keeps slashes inside a name that has a weight", () => {
    expect(parseQueues("a/b/3")).toEqual([{ name: "a/b", weight: 3 }]);
  });

  it.each([
    ["", /entry 1 is empty/],
    ["a,,b", /entry 2 is empty/],
    ["/3", /"\/3" has no valid queue name/],
    ["q/0", /weight "0", not a positive integer/],
    ["q/x", /weight "x"/],
    ["q,q/2", /queue "q" is listed twice/],
  ])("rejects %j with a message naming the variable", (value, message) => {
    expect(() => parseQueues(value)).toThrowError(ConfigError);
    expect(() => parseQueues(value)).toThrowError(message);
    expect(() => parseQueues(value)).toThrowError(/^RESTYLER_QUEUES: /);
  });
});
