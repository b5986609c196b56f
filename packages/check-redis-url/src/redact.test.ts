import { describe, expect, it } from "vitest";
import { redactUrl, scrubSecrets, secretsOfUrl } from "./redact.js";

describe("redactUrl", () => {
  it("masks credentials and keeps scheme, host and port", () => {
    expect(redactUrl("rediss://:p4ss@ec2-1-2-3-4.compute-1.amazonaws.com:12345")).toBe(
      "rediss://***@ec2-1-2-3-4.compute-1.amazonaws.com:12345",
    );
    expect(redactUrl("redis://h:p4ss@example.com:6379/0")).toBe("redis://***@example.com:6379");
  });

  it("shows a URL without credentials as it is, minus path and query", () => {
    expect(redactUrl("redis://127.0.0.1:6379/2?token=abc")).toBe("redis://127.0.0.1:6379");
  });

  it("keeps IPv6 brackets", () => {
    expect(redactUrl("redis://:pw@[::1]:7000")).toBe("redis://***@[::1]:7000");
  });

  it("never echoes what it cannot parse", () => {
    expect(redactUrl("rediss//:secret@host")).toBe("(unparseable URL)");
    expect(redactUrl("redis::secret@")).toBe("(unparseable URL)");
  });
});

describe("secretsOfUrl", () => {
  it("returns the password raw and percent-decoded", () => {
    expect(secretsOfUrl("redis://:a%2Fb%3Ac@host:1")).toEqual(["a%2Fb%3Ac", "a/b:c"]);
  });

  it("returns nothing for a URL without a password", () => {
    expect(secretsOfUrl("redis://user@host:1")).toEqual([]);
  });

  it("treats an unparseable value as a secret whole", () => {
    expect(secretsOfUrl("not a url :secret")).toEqual(["not a url :secret"]);
  });
});

describe("scrubSecrets", () => {
  it("masks every occurrence, longest secret first", () => {
    expect(scrubSecrets("key=abcdef and abc", ["abc", "abcdef"])).toBe("key=*** and ***");
  });

  it("ignores empty secrets", () => {
    expect(scrubSecrets("unchanged", [""])).toBe("unchanged");
  });
});
