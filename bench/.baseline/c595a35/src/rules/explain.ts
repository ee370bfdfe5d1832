import type { TextField } from './ast.js';
import type { ArticleDoc, FieldText } from './document.js';
import { keywordMatches, spansIn, type Span } from './evaluate.js';
import { isLeafMatcher, termText, type LeafMatcher, type Matcher } from './matcher.js';
import type { MatchedTerm, RuleMatch } from './rule-set.js';

export const SNIPPET_WORDS = 30;
/** Words shown before the best hit; the rest of the window follows it. */
const SNIPPET_LEAD = 10;
const SNIPPET_FIELDS: readonly TextField[] = ['content', 'summary', 'title', 'author', 'category', 'link'];

/** Leaves that count for a match: those not under a NOT. */
function positiveLeaves(m: Matcher, out: LeafMatcher[] = []): LeafMatcher[] {
  if (isLeafMatcher(m)) out.push(m);
  else if (m.kind === 'and' || m.kind === 'or') for (const child of m.children) positiveLeaves(child, out);
  else if (m.kind === 'near') {
    positiveLeaves(m.left, out);
    positiveLeaves(m.right, out);
  }
  return out;
}

interface FieldHits {
  term: MatchedTerm;
  spans: Span[];
}

function leafHits(m: LeafMatcher, doc: ArticleDoc): FieldHits[] {
  const term = termText(m);
  if (m.kind === 'keyword') {
    if (!keywordMatches(m, doc)) return [];
    const field = m.leaf.field as 'source' | 'lang';
    const words = field === 'source' ? doc.sourceTexts.filter((t) => t !== '') : [doc.langText];
    return [{ term: { term, field, positions: [], words }, spans: [] }];
  }
  const hits: FieldHits[] = [];
  for (const field of m.fields) {
    // Feeds without a separate body repeat the summary as content (so `content:` queries work):
    // report those hits once, under summary.
    if (field === 'content' && m.fields.includes('summary') && doc.fields.content.text === doc.fields.summary.text) continue;
    const spans = spansIn(m, doc, field).sort((a, b) => a.start - b.start);
    if (spans.length === 0) continue;
    const text = doc.fields[field];
    hits.push({
      term: { term, field, positions: spans.map((s) => s.start), words: spans.map((s) => spanText(text, s)) },
      spans,
    });
  }
  return hits;
}

function spanText(field: FieldText, span: Span): string {
  return field.text.slice(field.starts[span.start], field.ends[span.end]);
}

/** Why `query` matched `doc`: the terms found, where, and a marked snippet. */
export function explainMatch(ruleId: string, query: Matcher, doc: ArticleDoc): RuleMatch {
  const hits = positiveLeaves(query).flatMap((leaf) => leafHits(leaf, doc));
  const matched = [...new Set(hits.map((h) => h.term.term))];
  return { ruleId, matched, terms: hits.map((h) => h.term), snippet: snippet(hits, doc) };
}

function snippet(hits: FieldHits[], doc: ArticleDoc): string {
  let best: { field: TextField; from: number; score: number } | undefined;
  for (const field of SNIPPET_FIELDS) {
    const inField = hits.filter((h) => h.term.field === field);
    const length = doc.fields[field].tokens.length;
    for (const { spans } of inField) {
      for (const span of spans) {
        const from = Math.max(0, Math.min(span.start - SNIPPET_LEAD, length - SNIPPET_WORDS));
        const to = from + SNIPPET_WORDS;
        const inside = inField.filter((h) => h.spans.some((s) => s.start >= from && s.end < to));
        // Distinct terms in view first, then how many hits.
        const score = inside.length * 1000 + inside.reduce((n, h) => n + h.spans.length, 0);
        if (!best || score > best.score) best = { field, from, score };
      }
    }
  }
  if (!best) {
    const field = SNIPPET_FIELDS.find((f) => doc.fields[f].tokens.length > 0) ?? 'title';
    return renderWindow(doc.fields[field], 0, []);
  }
  const field = best.field;
  return renderWindow(doc.fields[field], best.from, hits.filter((h) => h.term.field === field).flatMap((h) => h.spans));
}

function renderWindow(field: FieldText, from: number, marks: Span[]): string {
  const to = Math.min(field.tokens.length, from + SNIPPET_WORDS) - 1;
  if (to < from) return '';
  // Character ranges to mark, merged so that overlapping hits get one pair of «».
  const ranges = marks
    .filter((s) => s.end >= from && s.start <= to)
    .map((s) => [field.starts[Math.max(s.start, from)] as number, field.ends[Math.min(s.end, to)] as number] as const)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of ranges) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  let out = '';
  let cursor = field.starts[from] as number;
  for (const [a, b] of merged) {
    out += `${field.text.slice(cursor, a)}«${field.text.slice(a, b)}»`;
    cursor = b;
  }
  out += field.text.slice(cursor, field.ends[to]);
  const text = out.replace(/\s+/g, ' ').trim();
  return `${from > 0 ? '… ' : ''}${text}${to < field.tokens.length - 1 ? ' …' : ''}`;
}

/** A readable account of one match, for `test-rule` and logs. */
export function formatExplanation(match: RuleMatch): string {
  const lines = [`rule ${match.ruleId} matched: ${match.matched.join(', ')}`];
  for (const t of match.terms) {
    const where = t.positions.length > 0 ? ` at word ${t.positions.join(', ')}` : '';
    lines.push(`  ${t.field}: ${t.term}${where} (${t.words.map((w) => JSON.stringify(w)).join(', ')})`);
  }
  if (match.snippet !== '') lines.push(`  snippet: ${match.snippet}`);
  return lines.join('\n');
}
