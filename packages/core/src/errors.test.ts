import { describe, expect, it } from "vitest";
import {
  ConfigError,
  ExitCode,
  errorMessage,
  exitCodeFor,
  InterruptedError,
  isUserError,
  RestyledError,
  UnavailableError,
  UsageError,
} from "./errors.js";

describe("exitCodeFor", () => {
  it("maps each base class to its sysexits code", () => {
    expect(exitCodeFor(new UsageError("x"))).toBe(64);
    expect(exitCodeFor(new ConfigError("x"))).toBe(78);
    expect(exitCodeFor(new UnavailableError("x"))).toBe(69);
    expect(exitCodeFor(new InterruptedError("x"))).toBe(130);
    expect(exitCodeFor(new RestyledError("x"))).toBe(1);
  });

  it("keeps a domain subclass's own code", () => {
    class OutputError extends RestyledError {
      override name = "OutputError";
      override readonly exitCode = ExitCode.cantCreate;
    }
    expect(exitCodeFor(new OutputError("cannot write"))).toBe(73);
    expect(exitCodeFor(new RestyledError("x", { exitCode: ExitCode.ioErr }))).toBe(74);
  });

  it("treats an AbortError as interrupted and anything else as a failure", () => {
    expect(exitCodeFor(Object.assign(new Error("aborted"), { name: "AbortError" }))).toBe(130);
    expect(exitCodeFor(new TypeError("bug"))).toBe(1);
    expect(exitCodeFor("a string")).toBe(1);
  });
});

describe("errors", () => {
  it("set their name and keep the cause", () => {
    const cause = new Error("root");
    const error = new ConfigError("bad", { cause });
    expect(error.name).toBe("ConfigError");
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(RestyledError);
    expect(error).toBeInstanceOf(Error);
  });

  it("tell user errors from bugs", () => {
    expect(isUserError(new UsageError("x"))).toBe(true);
    expect(isUserError(new ConfigError("x"))).toBe(true);
    expect(isUserError(new UnavailableError("x"))).toBe(false);
    expect(isUserError(new Error("x"))).toBe(false);
    expect(errorMessage(new Error("m"))).toBe("m");
    expect(errorMessage(42)).toBe("42");
  });
});
