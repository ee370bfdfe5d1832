import type { TextField } from './ast.js';
import { lowerText, positionsOf, wildcardPositionsOf, type ArticleDoc, type FieldText } from './document.js';
import type { Matcher } from './matcher.js';
import { regexHits, regexMatches, type Pattern } from './regex.js';

/** Words [start, end] (inclusive word indices) that one hit covers. */
export interface Span {
  start: number;
  end: number;
}

/** The direct evaluator: what a query means for one article, with no index involved. */
export function evaluate(m: Matcher, doc: ArticleDoc): boolean {
  switch (m.kind) {
    case 'and':
      for (const child of m.children) if (!evaluate(child, doc)) return false;
      return true;
    case 'or':
      for (const child of m.children) if (evaluate(child, doc)) return true;
      return false;
    case 'not':
      return !evaluate(m.child, doc);
    case 'term':
      return (doc.vocabulary.fieldsHolding(m.id) & m.mask) !== 0;
    case 'phrase':
      // Every word must be present somewhere before positions are worth comparing.
      for (const id of m.ids) if ((doc.vocabulary.fieldsHolding(id) & m.mask) === 0) return false;
      return m.fields.some((f) => phraseStarts(m, doc, f, true).length > 0);
    case 'wildcard':
      return (doc.vocabulary.fieldsHolding(m.id) & m.mask) !== 0;
    case 'regex':
      return m.fields.some((f) => regexHolds(m, doc.fields[f]));
    case 'keyword':
      return keywordMatches(m, doc);
    case 'near':
      return nearMatches(m, doc);
  }
}

/**
 * Whether a regex matches a field. The result is kept per field and pattern for this article: the
 * same pattern in many rules runs once, and running it costs more than anything else a rule does.
 */
function regexHolds(m: Extract<Matcher, { kind: 'regex' }>, field: FieldText): boolean {
  if (m.literal !== undefined && !lowerText(field).includes(m.literal)) return false;
  const results = (field.regexResults ??= new Map());
  let result = results.get(m.leaf.source);
  if (result === undefined) results.set(m.leaf.source, (result = regexMatches(m.re, field.text)));
  return result;
}

export function keywordMatches(m: Extract<Matcher, { kind: 'keyword' }>, doc: ArticleDoc): boolean {
  const { leaf } = m;
  if (leaf.kind === 'keyword') return (leaf.field === 'source' ? doc.sourceKeys : doc.langKeys).includes(leaf.value);
  const texts = leaf.field === 'source' ? doc.sourceTexts : [doc.langText];
  return texts.some((text) => regexMatches(m.re as Pattern, text));
}

type PhraseMatcher = Extract<Matcher, { kind: 'phrase' }>;

function phraseStarts(m: PhraseMatcher, doc: ArticleDoc, field: TextField, firstOnly: boolean): number[] {
  const starts: number[] = [];
  const { ids } = doc.fields[field];
  const n = m.ids.length;
  for (const p of positionsOf(doc, field, m.ids[0] as number)) {
    let i = 1;
    while (i < n && ids[p + i] === m.ids[i]) i++;
    if (i === n) {
      starts.push(p);
      if (firstOnly) break;
    }
  }
  return starts;
}

/** Every hit of a positional matcher (leaf or OR-group) in one field, in no particular order. */
export function spansIn(m: Matcher, doc: ArticleDoc, fieldName: TextField): Span[] {
  if (m.kind === 'or') return m.children.flatMap((child) => spansIn(child, doc, fieldName));
  if (!('fields' in m) || m.kind === 'near' || !m.fields.includes(fieldName)) return [];
  const field = doc.fields[fieldName];
  switch (m.kind) {
    case 'term':
      return positionsOf(doc, fieldName, m.id).map((p) => ({ start: p, end: p }));
    case 'phrase':
      return phraseStarts(m, doc, fieldName, false).map((p) => ({ start: p, end: p + m.ids.length - 1 }));
    case 'wildcard':
      return wildcardPositionsOf(doc, fieldName, m.id).map((p) => ({ start: p, end: p }));
    case 'regex':
      return regexHits(m.re, field.text).flatMap(([from, to]) => wordSpan(field, from, to));
    default:
      return [];
  }
}

/** The words a character range [from, to) touches; none when it lies between words only. */
function wordSpan(field: FieldText, from: number, to: number): Span[] {
  const start = firstIndexAbove(field.ends, from);
  if (start >= field.count || (field.starts[start] as number) >= to) return [];
  const end = firstIndexAtOrAbove(field.starts, to) - 1;
  return [{ start, end: Math.max(start, end) }];
}

/** First index whose value is >= x in an ascending array (its length when there is none). */
function firstIndexAtOrAbove(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstIndexAbove(sorted: ArrayLike<number>, x: number): number {
  return firstIndexAtOrAbove(sorted, x + 1);
}

function nearMatches(m: Extract<Matcher, { kind: 'near' }>, doc: ArticleDoc): boolean {
  for (const field of m.fields) {
    const ls = spansIn(m.left, doc, field);
    if (ls.length === 0) continue;
    const rs = spansIn(m.right, doc, field);
    if (rs.length > 0 && anySpansNear(ls, rs, m.distance, m.ordered)) return true;
  }
  return false;
}

/**
 * Whether some pair (l, r) is near (see spansNear). For each left hit, the nearest right hit
 * after it and before it are found by binary search: O((L + R) log R), where comparing every pair
 * took seconds on a long article repeating both words.
 */
export function anySpansNear(ls: Span[], rs: Span[], distance: number, ordered: boolean): boolean {
  const rightStarts = Int32Array.from(rs, (r) => r.start).sort();
  const rightEnds = ordered ? undefined : Int32Array.from(rs, (r) => r.end).sort();
  for (const l of ls) {
    // The first right hit starting after l: near if at most `distance` words lie between.
    const after = rightStarts[firstIndexAbove(rightStarts, l.end)];
    if (after !== undefined && after - l.end - 1 <= distance) return true;
    if (!rightEnds) continue;
    // The last right hit ending before l.
    const before = rightEnds[firstIndexAtOrAbove(rightEnds, l.start) - 1];
    if (before !== undefined && l.start - before - 1 <= distance) return true;
  }
  return false;
}

/** At most `distance` words between the hits (0: adjacent); overlapping hits never count. */
export function spansNear(l: Span, r: Span, distance: number, ordered: boolean): boolean {
  if (r.start > l.end) return r.start - l.end - 1 <= distance;
  if (!ordered && l.start > r.end) return l.start - r.end - 1 <= distance;
  return false;
}
