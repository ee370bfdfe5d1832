import { DEFAULT_FIELDS, type LeafNode, type QueryNode, type TextField, type TextScope } from './ast.js';
import type { ArticleDoc, FieldText } from './document.js';
import { compileRegex, regexHits, regexMatches } from './regex.js';
import type { RE2 } from 're2-wasm';

/** Words [start, end] (inclusive word indices) that one hit covers. */
export interface Span {
  start: number;
  end: number;
}

/** The direct evaluator: the meaning of a query, with no index involved. */
export function evaluate(node: QueryNode, doc: ArticleDoc): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((child) => evaluate(child, doc));
    case 'or':
      return node.children.some((child) => evaluate(child, doc));
    case 'not':
      return !evaluate(node.child, doc);
    case 'near':
      return nearMatches(node.left, node.right, node.distance, node.ordered, doc);
    case 'keyword':
      return (node.field === 'source' ? doc.sourceKeys : doc.langKeys).includes(node.value);
    case 'regex':
      if (node.field === 'source') return doc.sourceTexts.some((text) => regexMatches(regexOf(node.source), text));
      if (node.field === 'lang') return regexMatches(regexOf(node.source), doc.langText);
      return fieldsOfScope(node.field).some((f) => regexMatches(regexOf(node.source), doc.fields[f].text));
    default:
      return fieldsOfScope(node.field).some((f) => leafOccursIn(node, doc.fields[f]));
  }
}

export function fieldsOfScope(scope: TextScope): readonly TextField[] {
  return scope === 'default' ? DEFAULT_FIELDS : [scope];
}

/** Text fields a positional node (leaf or OR-group of leaves) can have hits in. */
export function fieldsOf(node: QueryNode): TextField[] {
  switch (node.kind) {
    case 'term':
    case 'phrase':
    case 'wildcard':
    case 'regex':
      return node.field === 'source' || node.field === 'lang' ? [] : [...fieldsOfScope(node.field)];
    case 'or':
      return [...new Set(node.children.flatMap(fieldsOf))];
    default:
      return [];
  }
}

function leafOccursIn(node: Exclude<LeafNode, { kind: 'keyword' | 'regex' }>, field: FieldText): boolean {
  switch (node.kind) {
    case 'term':
      return field.positions.has(node.word);
    case 'phrase':
      return phraseStarts(node.words, field, true).length > 0;
    case 'wildcard': {
      const matches = wildcardOf(node.pattern);
      for (const token of field.positions.keys()) if (matches(token)) return true;
      return false;
    }
  }
}

function phraseStarts(words: string[], field: FieldText, firstOnly: boolean): number[] {
  const starts: number[] = [];
  const first = field.positions.get(words[0] as string);
  if (!first) return starts;
  for (const p of first) {
    let i = 1;
    while (i < words.length && field.tokens[p + i] === words[i]) i++;
    if (i === words.length) {
      starts.push(p);
      if (firstOnly) break;
    }
  }
  return starts;
}

/** Every hit of a positional node in one field, in no particular order. */
export function spansIn(node: QueryNode, doc: ArticleDoc, fieldName: TextField): Span[] {
  const field = doc.fields[fieldName];
  switch (node.kind) {
    case 'or':
      return node.children.flatMap((child) => spansIn(child, doc, fieldName));
    case 'term':
    case 'phrase':
    case 'wildcard':
    case 'regex':
      if (!fieldsOf(node).includes(fieldName)) return [];
      return leafSpans(node, field);
    default:
      return [];
  }
}

function leafSpans(node: Exclude<LeafNode, { kind: 'keyword' }>, field: FieldText): Span[] {
  switch (node.kind) {
    case 'term':
      return (field.positions.get(node.word) ?? []).map((p) => ({ start: p, end: p }));
    case 'phrase':
      return phraseStarts(node.words, field, false).map((p) => ({ start: p, end: p + node.words.length - 1 }));
    case 'wildcard': {
      const matches = wildcardOf(node.pattern);
      const spans: Span[] = [];
      for (const [token, positions] of field.positions) {
        if (matches(token)) for (const p of positions) spans.push({ start: p, end: p });
      }
      return spans;
    }
    case 'regex':
      return regexHits(regexOf(node.source), field.text).flatMap(([from, to]) => wordSpan(field, from, to));
  }
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

function nearMatches(left: QueryNode, right: QueryNode, distance: number, ordered: boolean, doc: ArticleDoc): boolean {
  const rightFields = fieldsOf(right);
  for (const field of fieldsOf(left)) {
    if (!rightFields.includes(field)) continue;
    const ls = spansIn(left, doc, field);
    if (ls.length === 0) continue;
    const rs = spansIn(right, doc, field);
    for (const l of ls) for (const r of rs) if (spansNear(l, r, distance, ordered)) return true;
  }
  return false;
}

/** At most `distance` words between the hits (0: adjacent); overlapping hits never count. */
export function spansNear(l: Span, r: Span, distance: number, ordered: boolean): boolean {
  if (r.start > l.end) return r.start - l.end - 1 <= distance;
  if (!ordered && l.start > r.end) return l.start - r.end - 1 <= distance;
  return false;
}

const wildcards = new Map<string, (token: string) => boolean>();

/** `deploy*` is a prefix test; `?` (one letter or digit) needs a small, linear, anchored RegExp. */
function wildcardOf(pattern: string): (token: string) => boolean {
  let matcher = wildcards.get(pattern);
  if (matcher) return matcher;
  if (!pattern.includes('?')) {
    const prefix = pattern.slice(0, -1);
    matcher = (token) => token.startsWith(prefix);
  } else {
    const body = [...pattern]
      .map((ch) => (ch === '?' ? '[\\p{L}\\p{N}\\p{M}]' : ch === '*' ? '[\\p{L}\\p{N}\\p{M}]*' : ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')))
      .join('');
    const re = new RegExp(`^${body}$`, 'u');
    matcher = (token) => re.test(token);
  }
  wildcards.set(pattern, matcher);
  return matcher;
}

function regexOf(source: string): RE2 {
  const re = compileRegex(source);
  if ('error' in re) throw new Error(`regex /${source}/ was not validated at parse time`);
  return re;
}
