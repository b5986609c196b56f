import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.js";
import { checkDays, checkHostName, checkIpAddress, checkKeySize, serverNames } from "./options.js";

describe("option checks", () => {
  it.each(["localhost", "ec2-1-2-3-4.compute-1.amazonaws.com", "a.b-c.example."])(
    "accepts the host name %s",
    (host) => expect(checkHostName(host)).toBe(host.toLowerCase().replace(/\.$/, "")),
  );

  it("drops a fully qualified name's trailing dot, which certificate checks would not match", () => {
    expect(checkHostName("Docker.Example.")).toBe("docker.example");
  });

  it.each([
    "",
    "-bad.example",
    "bad-.example",
    "has space",
    "under_score.example",
    "a..b",
    "x".repeat(64),
  ])("rejects the host name %j", (host) => expect(() => checkHostName(host)).toThrow(UsageError));

  it("sends IP addresses given as host names to -i", () => {
    expect(() => checkHostName("10.0.0.1")).toThrow(/pass it with -i/);
  });

  it.each(["1.2.3", "256.1.1.1", "::g", "localhost", ""])("rejects the IP address %j", (ip) =>
    expect(() => checkIpAddress(ip)).toThrow(/invalid IP address/),
  );

  it.each([0, -1, 3651, 1.5, Number.NaN])("rejects %s days", (days) =>
    expect(() => checkDays(days)).toThrow(/--days must be a whole number from 1 to 3650/),
  );

  it.each([1024, 1000, 8192])("rejects a %i-bit key", (size) =>
    expect(() => checkKeySize(size)).toThrow(/2048, 3072, 4096/),
  );

  it("always adds localhost and 127.0.0.1 to the server names, once", () => {
    expect(serverNames(["Docker.Example", "localhost"], ["::1", "127.0.0.1"])).toEqual({
      dnsNames: ["docker.example", "localhost"],
      ipAddresses: ["::1", "127.0.0.1"],
    });
  });
});
