/** Levenshtein distance, cut off once it exceeds `max` (names are short). */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    previous = current;
  }
  return previous[b.length] ?? max + 1;
}

/**
 * The declared name a misspelt one most likely meant: same letters in another
 * case, or at most two edits away (one for short names), else undefined.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const max = name.length <= 4 ? 1 : 2;
  let found: { name: string; score: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const score =
      candidate.toLowerCase() === name.toLowerCase() ? 0 : distance(name, candidate, max);
    if (score <= max && (!found || score < found.score)) found = { name: candidate, score };
  }
  return found?.name;
}
