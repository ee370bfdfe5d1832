import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../src/articles/article.js';
import { analyzeArticle, MAX_FIELD_CHARS } from '../../../src/rules/document.js';
import { anySpansNear, spansNear, type Span } from '../../../src/rules/evaluate.js';
import { bestWindow, SNIPPET_WORDS } from '../../../src/rules/explain.js';
import { compileRules, parseQuery, type RuleFailure } from '../../../src/rules/index.js';
import { Vocabulary } from '../../../src/rules/vocabulary.js';
import { NOW, article } from './article-fixture.js';

const PIECES = [
  '(',
  ')',
  '((',
  '))',
  'NOT',
  '-',
  '--',
  'AND',
  'OR',
  'NEAR',
  'NEAR/0',
  'NEAR/1000',
  'NEAR/1001',
  'ONEAR/3',
  'NEAR/',
  'NEAR/x',
  '"',
  '""',
  '/',
  '//',
  '\\',
  '\\/',
  'title:',
  'titel:',
  'source:',
  'lang:',
  'content:',
  ':',
  '*',
  '?',
  'a*',
  'tr*',
  'k?rsk',
  'troops',
  'kursk',
  'a',
  'b',
  '"north korea"',
  "Korea's",
  '/a+b/',
  '/(a*)*b/',
  '/[/',
  '/(?P<n>x)/',
  '/\\d{1000}/',
  '/(a{1000}){1000}/',
  '/^/',
  'é',
  '북한*',
  '🙂',
  '\u0000',
  '\t',
  '\n',
  'https://x.org',
  'source:"a b"',
  '-(a',
  'NOT(',
];

const pieceQuery = fc
  .array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom('', ' ', ' ')), { maxLength: 25 })
  .map((parts) => parts.map(([piece, sep]) => piece + sep).join(''));
const charQuery = fc.string({ unit: fc.constantFrom(...'()"/-*?:\\ aAbNOTR/0123é북\u{1F642}'.split(/(?:)/u)), maxLength: 40 });
const deepQuery = fc.tuple(fc.integer({ min: 90, max: 3_000 }), fc.constantFrom('(', 'NOT ', '-', 'title:(', '-(')).map(([n, open]) => {
  const closes = open.includes('(') ? ')'.repeat(n) : '';
  return `${open.repeat(n)}troops${closes}`;
});
const wideQuery = fc
  .tuple(fc.integer({ min: 100, max: 2_000 }), fc.constantFrom(' OR ', ' ', ' AND ', ' NEAR '))
  .map(([n, op]) => Array.from({ length: n }, (_, i) => `w${i % 50}`).join(op));
const anyQuery = fc.oneof(pieceQuery, charQuery, fc.string({ unit: 'grapheme', maxLength: 30 }), deepQuery, wideQuery);

const small: Article[] = [
  article({ title: 'Troops in Kursk', summary: 'North Korea sent troops. a b a b', content: 'a b c a+b aab 북한군이 🙂 https://x.org' }),
  article({ title: '', summary: '', content: '', link: 'not a url', lang: 'en' }),
];
/** The example: 50,000 words, one half repeating `b`, then `a`. */
const repeated = article({ content: `${'b '.repeat(25_000)}${'a '.repeat(25_000)}`, summary: 'a b '.repeat(2_000) });

/** Parse, compile and match one query: a result or positioned errors, never a throw. */
function checkQuery(query: string, articles: Article[]): void {
  const parsed = parseQuery(query);
  const defs = [
    { id: 'q', name: 'q', query },
    { id: 'x', name: 'x', query: 'troops OR a', exclude: query },
  ];
  const { ruleSet, errors } = compileRules(defs);
  if (parsed.ok) {
    expect(errors).toEqual([]);
  } else {
    expect(parsed.errors.length).toBeGreaterThan(0);
    for (const e of parsed.errors) {
      expect(Number.isInteger(e.column) && e.column >= 1 && e.column <= query.length + 1).toBe(true);
      expect(e.message).not.toBe('');
    }
    expect(errors.map((e) => [e.ruleId, e.column])).toEqual(['q', 'x'].flatMap((id) => parsed.errors.map((e) => [id, e.column])));
  }
  const failures: RuleFailure[] = [];
  for (const a of articles) {
    const matches = ruleSet.match(a, { feedTags: [], now: NOW, onRuleError: (f) => failures.push(f) });
    expect(Array.isArray(matches)).toBe(true);
  }
  expect(failures).toEqual([]);
}

describe('any query string', () => {
  it('parses, compiles and matches to a result or a positioned error', () => {
    fc.assert(
      fc.property(anyQuery, (query) => checkQuery(query, small)),
      { numRuns: 300 },
    );
  }, 120_000);

  it('matches a 50,000-word article repeating the words it looks for', () => {
    const shapes = [
      'a ONEAR/0 b',
      'b NEAR/3 a',
      'a OR b',
      '"a b" NEAR/1000 (a OR b)',
      '(a OR b) NEAR/1000 (b OR a)',
      '/a/ b',
      'a* NEAR b?',
    ];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...shapes), pieceQuery), (query) => checkQuery(query, [repeated])),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('per-article work', () => {
  it(`reads at most ${MAX_FIELD_CHARS.toLocaleString('en')} characters of each field, cut between words`, () => {
    const huge = 'troops '.repeat(Math.ceil((15 * 2 ** 20) / 7)); // 15 MiB
    const doc = analyzeArticle(article({ content: `${huge}kursk`, summary: `${'x'.repeat(MAX_FIELD_CHARS + 10)}` }), new Vocabulary());
    expect(doc.fields.content.text.length).toBeLessThanOrEqual(MAX_FIELD_CHARS);
    expect(doc.fields.content.tokens.length).toBeLessThanOrEqual(MAX_FIELD_CHARS / 7);
    expect(doc.fields.content.tokens.every((t) => t === 'troops')).toBe(true);
    expect(doc.fields.summary.text.length).toBeLessThanOrEqual(MAX_FIELD_CHARS);
    const { ruleSet } = compileRules([
      { id: 'start', name: 'start', query: 'troops' },
      { id: 'end', name: 'end', query: 'kursk' },
    ]);
    expect(ruleSet.match(article({ content: `${huge}kursk` }), { feedTags: [], now: NOW }).map((m) => m.ruleId)).toEqual(['start']);
  });
});

const span = fc.tuple(fc.nat(200), fc.nat(3)).map(([start, extra]): Span => ({ start, end: start + extra }));

describe('linear searches agree with comparing every pair', () => {
  it('NEAR: some left hit is near some right hit', () => {
    fc.assert(
      fc.property(
        fc.array(span, { maxLength: 30 }),
        fc.array(span, { maxLength: 30 }),
        fc.nat(12),
        fc.boolean(),
        (ls, rs, distance, ordered) => {
          const pairwise = ls.some((l) => rs.some((r) => spansNear(l, r, distance, ordered)));
          expect(rs.length > 0 && anySpansNear(ls, rs, distance, ordered)).toBe(pairwise);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('snippet: the window around a hit holding the most hits, first one on ties', () => {
    const hits = fc.array(
      fc.array(span, { minLength: 1, maxLength: 12 }).map((spans) => ({ spans: spans.sort((a, b) => a.start - b.start) })),
      { minLength: 1, maxLength: 5 },
    );
    fc.assert(
      fc.property(hits, fc.integer({ min: 0, max: 220 }), (fieldHits, length) => {
        // What every window used to be scored by: rescanning every span of every hit.
        let expected: { from: number; score: number } | undefined;
        for (const { spans } of fieldHits) {
          for (const s of spans) {
            const from = Math.max(0, Math.min(s.start - 10, length - SNIPPET_WORDS));
            const inside = fieldHits.filter((h) => h.spans.some((x) => x.start >= from && x.end < from + SNIPPET_WORDS));
            const score = inside.length * 1000 + inside.reduce((n, h) => n + h.spans.length, 0);
            if (!expected || score > expected.score) expected = { from, score };
          }
        }
        expect(bestWindow(fieldHits, length)).toEqual(expected);
      }),
      { numRuns: 2_000 },
    );
  });
});

/** The spans with every property read counted: work measured in reads, not in time. */
function countReads(spans: Span[], counter: { reads: number }): Span[] {
  return spans.map((s) => new Proxy(s, { get: (target, key) => (counter.reads++, Reflect.get(target, key)) }));
}

/**
 * Work grows with the hits, not with pairs of hits: the quadratic NEAR and snippet searches these guard
 * against read every span once per other span (625,000,000 reads here) and took seconds on a long
 * article repeating the words a rule looks for.
 */
describe('searches over hits read each hit a bounded number of times', () => {
  const HITS = 25_000;
  // Every left hit two words from a right hit: never adjacent, so no early exit at NEAR/0.
  const lefts = Array.from({ length: HITS }, (_, i): Span => ({ start: 4 * i, end: 4 * i }));
  const rights = Array.from({ length: HITS }, (_, i): Span => ({ start: 4 * i + 2, end: 4 * i + 2 }));

  it('NEAR', () => {
    const counter = { reads: 0 };
    expect(anySpansNear(countReads(lefts, counter), countReads(rights, counter), 0, false)).toBe(false);
    expect(counter.reads).toBeLessThanOrEqual(4 * 2 * HITS);
  });

  it('snippet window', () => {
    const counter = { reads: 0 };
    const hits = [{ spans: countReads(lefts, counter) }, { spans: countReads(rights, counter) }];
    expect(bestWindow(hits, 4 * HITS)).toEqual({ from: 0, score: 2 * (1000 + HITS) });
    expect(counter.reads).toBeLessThanOrEqual(8 * 2 * HITS);
  });
});
