import type { TextField } from './ast.js';
import { lowerText, positionsOf, prefixPositionsOf, type ArticleDoc, type FieldText } from './document.js';
import type { Matcher } from './matcher.js';
import type { RE2 } from 're2-wasm';
import { regexHits, regexMatches } from './regex.js';

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
      if (m.prefixId === undefined) return m.fields.some((f) => doc.fields[f].tokens.some(m.test));
      if ((doc.vocabulary.fieldsHolding(m.prefixId) & m.mask) === 0) return false;
      return m.prefixOnly || m.fields.some((f) => wildcardPositions(m, doc, f).length > 0);
    case 'regex':
      return m.fields.some((f) => {
        const field = doc.fields[f];
        return (m.literal === undefined || lowerText(field).includes(m.literal)) && regexMatches(m.re, field.text);
      });
    case 'keyword':
      return keywordMatches(m, doc);
    case 'near':
      return nearMatches(m, doc);
  }
}

export function keywordMatches(m: Extract<Matcher, { kind: 'keyword' }>, doc: ArticleDoc): boolean {
  const { leaf } = m;
  if (leaf.kind === 'keyword') return (leaf.field === 'source' ? doc.sourceKeys : doc.langKeys).includes(leaf.value);
  const texts = leaf.field === 'source' ? doc.sourceTexts : [doc.langText];
  return texts.some((text) => regexMatches(m.re as RE2, text));
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
      return wildcardPositions(m, doc, fieldName).map((p) => ({ start: p, end: p }));
    case 'regex':
      return regexHits(m.re, field.text).flatMap(([from, to]) => wordSpan(field, from, to));
    default:
      return [];
  }
}

function wildcardPositions(m: Extract<Matcher, { kind: 'wildcard' }>, doc: ArticleDoc, fieldName: TextField): number[] {
  const { tokens } = doc.fields[fieldName];
  if (m.prefixId === undefined) return tokens.flatMap((token, p) => (m.test(token) ? [p] : []));
  const candidates = prefixPositionsOf(doc, fieldName, m.prefixId);
  return m.prefixOnly ? [...candidates] : candidates.filter((p) => m.test(tokens[p] as string));
}

/** The words a character range [from, to) touches; none when it lies between words only. */
function wordSpan(field: FieldText, from: number, to: number): Span[] {
  let start = 0;
  while (start < field.tokens.length && (field.ends[start] as number) <= from) start++;
  let end = start;
  while (end + 1 < field.tokens.length && (field.starts[end + 1] as number) < to) end++;
  if (start >= field.tokens.length || (field.starts[start] as number) >= to) return [];
  return [{ start, end }];
}

function nearMatches(m: Extract<Matcher, { kind: 'near' }>, doc: ArticleDoc): boolean {
  for (const field of m.fields) {
    const ls = spansIn(m.left, doc, field);
    if (ls.length === 0) continue;
    const rs = spansIn(m.right, doc, field);
    for (const l of ls) for (const r of rs) if (spansNear(l, r, m.distance, m.ordered)) return true;
  }
  return false;
}

/** At most `distance` words between the hits (0: adjacent); overlapping hits never count. */
export function spansNear(l: Span, r: Span, distance: number, ordered: boolean): boolean {
  if (r.start > l.end) return r.start - l.end - 1 <= distance;
  if (!ordered && l.start > r.end) return l.start - r.end - 1 <= distance;
  return false;
}
