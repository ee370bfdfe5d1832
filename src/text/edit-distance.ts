/** Levenshtein distance, for "did you mean" hints on misspelt names. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The known name within two edits of `name` (not `name` itself), if any. */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  for (const candidate of known) if (candidate !== name && editDistance(candidate, name) <= 2) return candidate;
  return undefined;
}
