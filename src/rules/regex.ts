import type { RE2JS } from 're2js';
import { lazyDependency } from '../lazy-dependency.js';

/**
 * RE2 syntax and semantics (linear time, no backtracking) for `/pattern/` terms, run by re2js, a
 * pure JavaScript port: measured against re2-wasm (which copies the whole text into wasm memory on
 * every call, so listing the hits of a pattern was quadratic in the text) in bench/rules-regex.ts.
 */
export type Pattern = RE2JS;

// Loaded by the first `/pattern/` term: rule sets without one (the shipped config) never load it.
const re2js = lazyDependency<typeof import('re2js')>('re2js');

/**
 * Patterns by source. The parser compiles each pattern to check it and the matcher compiler uses
 * it again, and large rule sets repeat patterns; a compiled pattern is immutable to its users (its
 * caches only speed it up), so rules can share one. Cleared when full, so that hot reloads of
 * ever-changing patterns cannot grow it without end.
 */
const compiled = new Map<string, Pattern | { error: string }>();
const COMPILED_LIMIT = 10_000;

export function compileRegex(source: string): Pattern | { error: string } {
  let re = compiled.get(source);
  if (re === undefined) {
    if (compiled.size >= COMPILED_LIMIT) compiled.clear();
    compiled.set(source, (re = compileUncached(source)));
  }
  return re;
}

function compileUncached(source: string): Pattern | { error: string } {
  try {
    const { RE2JS } = re2js();
    return RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // re2js applies the flag as a `(?i)` prefix, which the user did not write.
    return { error: message.replace(/^error parsing regexp: /, '').replace('`(?i)', '`') };
  }
}

/** Every hit of a compiled pattern as [start, end) offsets; empty matches are skipped. */
export function regexHits(re: Pattern, text: string): Array<[number, number]> {
  const hits: Array<[number, number]> = [];
  const matcher = re.matcher(text);
  while (matcher.find()) {
    const start = matcher.start();
    const end = matcher.end();
    if (end > start) hits.push([start, end]);
  }
  return hits;
}

export function regexMatches(re: Pattern, text: string): boolean {
  return re.test(text);
}

const QUANTIFIER = /[*+?{]/;
/** ASCII letters whose case folding is the same for RE2 and toLowerCase (not k: Kelvin sign, not s: long s). */
const PLAIN_LITERAL = /[a-jl-rt-z0-9]/;

/**
 * A lower-case literal every match of the pattern must contain, or undefined if unsure. Checking
 * it with `includes` skips most RE2 runs over the text.
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
