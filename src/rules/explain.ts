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
    if (inField.length === 0) continue;
    const window = bestWindow(inField, doc.fields[field].count);
    if (window && (!best || window.score > best.score)) best = { field, ...window };
  }
  if (!best) {
    const field = SNIPPET_FIELDS.find((f) => doc.fields[f].count > 0) ?? 'title';
    return renderWindow(doc.fields[field], 0, []);
  }
  const field = best.field;
  return renderWindow(
    doc.fields[field],
    best.from,
    hits.filter((h) => h.term.field === field).flatMap((h) => h.spans),
  );
}

/**
 * Of the windows of SNIPPET_WORDS words placed around each hit, the one whose hits score most:
 * per hit (term in a field) with at least one span wholly inside, 1000 plus its number of spans,
 * so distinct terms in view count first. Ties go to the first window in hit order. A sweep over
 * window starts, where scoring each window by rescanning every span was quadratic in the hits.
 */
export function bestWindow(hits: ReadonlyArray<{ spans: Span[] }>, length: number): { from: number; score: number } | undefined {
  const windowStart = (span: Span) => Math.max(0, Math.min(span.start - SNIPPET_LEAD, length - SNIPPET_WORDS));
  const starts = [...new Set(hits.flatMap((h) => h.spans.map(windowStart)))].sort((a, b) => a - b);
  if (starts.length === 0) return undefined;
  // A span lies inside the window starting at `from` iff end - SNIPPET_WORDS < from <= start.
  const inside = hits.flatMap((h, hit) =>
    h.spans.map((s) => ({ hit, enter: s.end - SNIPPET_WORDS + 1, leave: s.start })).filter((e) => e.enter <= e.leave),
  );
  const byEnter = [...inside].sort((a, b) => a.enter - b.enter);
  const byLeave = [...inside].sort((a, b) => a.leave - b.leave);
  const spansInside = new Int32Array(hits.length);
  const scores = new Map<number, number>();
  let score = 0;
  let entered = 0;
  let left = 0;
  for (const from of starts) {
    for (; entered < byEnter.length && byEnter[entered]!.enter <= from; entered++) {
      const hit = byEnter[entered]!.hit;
      spansInside[hit] = (spansInside[hit] as number) + 1;
      if (spansInside[hit] === 1) score += 1000 + hits[hit]!.spans.length;
    }
    for (; left < byLeave.length && byLeave[left]!.leave < from; left++) {
      const hit = byLeave[left]!.hit;
      spansInside[hit] = (spansInside[hit] as number) - 1;
      if (spansInside[hit] === 0) score -= 1000 + hits[hit]!.spans.length;
    }
    scores.set(from, score);
  }
  let best: { from: number; score: number } | undefined;
  for (const { spans } of hits) {
    for (const span of spans) {
      const from = windowStart(span);
      const windowScore = scores.get(from) as number;
      if (!best || windowScore > best.score) best = { from, score: windowScore };
    }
  }
  return best;
}

function renderWindow(field: FieldText, from: number, marks: Span[]): string {
  const to = Math.min(field.count, from + SNIPPET_WORDS) - 1;
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
  return `${from > 0 ? '… ' : ''}${text}${to < field.count - 1 ? ' …' : ''}`;
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
