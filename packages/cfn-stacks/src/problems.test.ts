import { describe, expect, it } from "vitest";
import { dedupeProblems, type Problem } from "./problems.js";

const problem = (line: number, rule: string, cause?: string): Problem => ({
  file: "t.yaml",
  line,
  reason: `at ${line}`,
  rule,
  ...(cause ? { cause } : {}),
});

describe("dedupeProblems", () => {
  it("keeps the first CloudFormation-level problem of a cause and names the other lines", () => {
    const problems = [
      problem(9, "E1012", "undefined:X"),
      problem(1, "restyled/environment", "undefined:X"),
      problem(4, "W2001", "undefined:X"),
      problem(5, "E1010"),
      problem(12, "E1019", "undefined:X"),
    ];
    expect(dedupeProblems(problems).map((p) => `${p.line} ${p.reason}`)).toEqual([
      "5 at 5",
      "9 at 9 (also lines 1, 4, 12)",
    ]);
  });

  it("names ten other lines at most", () => {
    const problems = Array.from({ length: 14 }, (_, i) => problem(i + 1, "E1012", "undefined:X"));
    expect(dedupeProblems(problems).map((p) => p.reason)).toEqual([
      "at 1 (also lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more)",
    ]);
  });

  it("keeps problems of one cause in different files apart", () => {
    const other = { ...problem(2, "E1012", "undefined:X"), file: "u.yaml" };
    expect(dedupeProblems([problem(2, "E1012", "undefined:X"), other])).toHaveLength(2);
  });
});
