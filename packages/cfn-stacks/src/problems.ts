/** One thing wrong with a template, located for the operator's editor. */
export interface Problem {
  file: string;
  line: number;
  reason: string;
  /**
   * The rule broken. An `E` code is a rule CloudFormation itself applies, named
   * after the cfn-lint rule that mirrors it; `cfn/…` is one CloudFormation
   * applies across stacks, which cfn-lint cannot see; `restyled/…` (and a
   * cfn-lint warning made an error, like W2001) is a rule of this project.
   */
  rule?: string;
  /**
   * Problems with one root cause (a name misspelt where it is declared, then
   * used eight times) share a cause; only the first is reported.
   */
  cause?: string;
}

/** `file:line: reason`, the form editors and CI annotations understand. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.reason}`;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Whether CloudFormation itself refuses a template with this problem. */
export function isCloudFormationRule(problem: Problem): boolean {
  return /^(E\d|cfn\/)/.test(problem.rule ?? "");
}

/**
 * Sorts, then folds the problems of one cause into the first of them, which
 * names the other lines: one typo reports one problem, not a cascade.
 */
export function dedupeProblems(problems: Problem[]): Problem[] {
  const sorted = sortProblems(problems);
  const first = new Map<string, { problem: Problem; lines: number[] }>();
  const kept: Problem[] = [];
  for (const problem of sorted) {
    const key = problem.cause ? `${problem.file}\0${problem.cause}` : undefined;
    const seen = key ? first.get(key) : undefined;
    if (seen) {
      if (!seen.lines.includes(problem.line) && problem.line !== seen.problem.line) {
        seen.lines.push(problem.line);
      }
      continue;
    }
    const copy = { ...problem };
    if (key) first.set(key, { problem: copy, lines: [] });
    kept.push(copy);
  }
  for (const { problem, lines } of first.values()) {
    if (lines.length > 0) {
      problem.reason += ` (also line${lines.length > 1 ? "s" : ""} ${lines.join(", ")})`;
    }
  }
  return kept;
}

export type Report = (line: number, reason: string, rule: string, cause?: string) => void;

/** A problem list for one file and the function that adds to it. */
export function problemCollector(file: string): { problems: Problem[]; report: Report } {
  const problems: Problem[] = [];
  const report: Report = (line, reason, rule, cause) => {
    problems.push(cause ? { file, line, reason, rule, cause } : { file, line, reason, rule });
  };
  return { problems, report };
}
