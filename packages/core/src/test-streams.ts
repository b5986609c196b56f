// A stream that keeps what is written, for tests of output and logs.

/** Collects writes; `lines()` parses JSON lines, `text` is everything. */
export function collect() {
  const chunks: string[] = [];
  return {
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    get text() {
      return chunks.join("");
    },
    lines(): Array<Record<string, unknown>> {
      return chunks
        .join("")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
  };
}
