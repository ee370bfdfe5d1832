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

const QUANTIFIER = /[*+?{]/;
/** ASCII letters whose case folding is the same for RE2 and toLowerCase (not k: Kelvin sign, not s: long s). */
const PLAIN_LITERAL = /[a-jl-rt-z0-9]/;

/**
 * A lower-case literal every match of the pattern must contain, or undefined if unsure. Checking
 * it with `includes` skips most RE2 calls, which copy the whole text into wasm memory.
 * Conservative: any `|` disables it, and only top-level runs of plain letters or digits count.
 */
export function requiredLiteral(source: string): string | undefined {
  if (source.includes('|')) return undefined;
  let best = '';
  let run = '';
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    const next = source[i + 1];
    if (ch === '\\') {
      i++;
      run = '';
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
      run = '';
    } else if (ch === '(' || ch === ')') {
      depth += ch === '(' ? 1 : -1;
      run = '';
    } else if (depth === 0 && PLAIN_LITERAL.test(ch.toLowerCase()) && !(next !== undefined && QUANTIFIER.test(next))) {
      run += ch.toLowerCase();
      if (run.length > best.length) best = run;
    } else {
      run = '';
    }
  }
  return best.length >= 3 ? best : undefined;
}
