import { RE2 } from 're2-wasm';

/**
 * RE2 (linear time, no backtracking) for `/pattern/` terms. Compiled patterns are shared by
 * source: re2-wasm memory is not reclaimed by the garbage collector, so recompiling the same
 * rules on every reload must not allocate again.
 */
const compiled = new Map<string, RE2>();

export function compileRegex(source: string): RE2 | { error: string } {
  const known = compiled.get(source);
  if (known) return known;
  try {
    // 'u' is required by re2-wasm; 'g' lets exec() walk all hits via lastIndex.
    const re = new RE2(source, 'giu');
    compiled.set(source, re);
    return re;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { error: message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') };
  }
}

/** Every hit of a compiled pattern as [start, end) offsets; empty matches are skipped. */
export function regexHits(re: RE2, text: string): Array<[number, number]> {
  const hits: Array<[number, number]> = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const hit = m[0] ?? '';
    if (hit === '') {
      re.lastIndex = m.index + 1;
      continue;
    }
    hits.push([m.index, m.index + hit.length]);
  }
  re.lastIndex = 0;
  return hits;
}

export function regexMatches(re: RE2, text: string): boolean {
  re.lastIndex = 0;
  const found = re.test(text);
  re.lastIndex = 0;
  return found;
}
