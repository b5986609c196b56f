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
 * Sorts, then folds the problems of one cause into one, which names the other
 * lines: one typo reports one problem, not a cascade. The problem kept is the
 * first that CloudFormation itself would report, else the first.
 */
export function dedupeProblems(problems: Problem[]): Problem[] {
  const sorted = sortProblems(problems);
  const groups = new Map<string, Problem[]>();
  for (const problem of sorted) {
    if (!problem.cause) continue;
    const key = `${problem.file}\0${problem.cause}`;
    const group = groups.get(key);
    if (group) group.push(problem);
    else groups.set(key, [problem]);
  }
  const replaced = new Map<Problem, Problem | undefined>();
  for (const group of groups.values()) {
    const kept = group.find(isCloudFormationRule) ?? group[0];
    if (!kept) continue;
    const others = [...new Set(group.map((p) => p.line))].filter((l) => l !== kept.line);
    const merged =
      others.length > 0 ? { ...kept, reason: `${kept.reason} (${alsoLines(others)})` } : kept;
    for (const problem of group) replaced.set(problem, problem === kept ? merged : undefined);
  }
  return sorted.flatMap((p) => {
    if (!replaced.has(p)) return [p];
    const kept = replaced.get(p);
    return kept ? [kept] : [];
  });
}

const SHOWN_LINES = 10;

/** `also lines 3, 9, 12`: the first ten of them when there are more. */
function alsoLines(lines: number[]): string {
  const shown = lines.slice(0, SHOWN_LINES).join(", ");
  const more = lines.length > SHOWN_LINES ? ` and ${lines.length - SHOWN_LINES} more` : "";
  return `also line${lines.length > 1 ? "s" : ""} ${shown}${more}`;
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
