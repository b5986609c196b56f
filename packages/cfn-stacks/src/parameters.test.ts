import { describe, expect, it } from "vitest";
import { ConfigError, UsageError } from "./errors.js";
import { parseParamFlags, resolveParameters } from "./parameters.js";

describe("parseParamFlags", () => {
  it("splits on the first = so values may contain =", () => {
    expect(parseParamFlags(["A=1", "Url=https://x/?a=b", "Empty="])).toEqual(
      new Map([
        ["A", "1"],
        ["Url", "https://x/?a=b"],
        ["Empty", ""],
      ]),
    );
  });

  it.each([["=1"], ["A"], ["a-b=1"]])("rejects %s", (flag) => {
    expect(() => parseParamFlags([flag])).toThrow(UsageError);
  });

  it("rejects a parameter given twice", () => {
    expect(() => parseParamFlags(["A=1", "A=2"])).toThrow("--param A is given twice");
  });
});

describe("resolveParameters", () => {
  const declared = [
    { name: "Environment", hasDefault: false, secret: false },
    { name: "Size", hasDefault: true, secret: false },
    { name: "Image", hasDefault: false, secret: false },
  ];

  it("keeps previous values of an existing stack for every parameter not named", () => {
    expect(
      resolveParameters({
        declared,
        given: new Map([["Environment", "prod"]]),
        previous: new Set(["Environment", "Size", "Image"]),
      }),
    ).toEqual([
      { ParameterKey: "Environment", ParameterValue: "prod" },
      { ParameterKey: "Size", UsePreviousValue: true },
      { ParameterKey: "Image", UsePreviousValue: true },
    ]);
  });

  it("leaves a defaulted parameter out on a new stack or when it is new to the stack", () => {
    expect(
      resolveParameters({
        declared,
        given: new Map([
          ["Environment", "prod"],
          ["Image", "x"],
        ]),
        previous: new Set(["Environment", "Image"]),
      }),
    ).toEqual([
      { ParameterKey: "Environment", ParameterValue: "prod" },
      { ParameterKey: "Image", ParameterValue: "x" },
    ]);
  });

  it("names every parameter that has neither a value nor a default", () => {
    expect(() => resolveParameters({ declared, given: new Map() })).toThrow(
      new ConfigError(
        "no value for Environment, Image: pass --param Environment=VALUE --param Image=VALUE",
      ),
    );
  });

  it("rejects a misspelt parameter as the one problem, naming the closest", () => {
    // Not also "no value for Environment, Image": the typo is the problem.
    expect(() =>
      resolveParameters({ declared, given: new Map([["Sise", "1"]]), previous: new Set() }),
    ).toThrow(
      new UsageError("--param Sise: the template has no such parameter (did you mean Size?)"),
    );
  });

  it("lists the parameters when nothing is close", () => {
    expect(() =>
      resolveParameters({ declared, given: new Map([["Bogus", "1"]]), previous: new Set() }),
    ).toThrow(
      "--param Bogus: the template has no such parameter (it has Environment, Size, Image)",
    );
  });
});
