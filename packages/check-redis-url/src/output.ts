// The CLI's only direct writes to the terminal.

export interface Output {
  /** A result line on stdout. */
  out(line: string): void;
  /** A message for the user on stderr. */
  err(line: string): void;
}

export const terminal: Output = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};
