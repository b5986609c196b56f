/** One thing wrong with a template, located for the operator's editor. */
export interface Problem {
  file: string;
  line: number;
  reason: string;
}

/** `file:line: reason`, the form editors and CI annotations understand. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.reason}`;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}
