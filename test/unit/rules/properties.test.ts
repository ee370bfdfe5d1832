import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../src/articles/article.js';
import type { LeafNode, QueryNode, TextField, TextScope } from '../../../src/rules/ast.js';
import { compileRules, parseQuery, printQuery, type RuleDefinition, type RuleSet } from '../../../src/rules/index.js';
import { analyzeArticle, type FieldText, wildcardPositionsOf } from '../../../src/rules/document.js';
import { normalizeWord, tokenizeText } from '../../../src/rules/tokenize.js';
import { wildcardId } from '../../../src/rules/matcher.js';
import { Vocabulary } from '../../../src/rules/vocabulary.js';
import { NOW, article } from './article-fixture.js';

/** A small vocabulary so that random rules and random articles actually meet. */
const VOCAB = [
  'troops',
  'Russia',
  'Kursk',
  'north',
  'Korea',
  'deployed',
  'deploy',
  'soldiers',
  'résumé',
  'resume',
  'Курск',
  'войска',
  '북한',
  '북한군이',
  'a',
  'de',
  'x1',
  '2026',
];
const WORDS = [...new Set(VOCAB.map(normalizeWord))];
const SEPARATORS = [' ', ', ', '.\n', "'", ' - ', '  '];
const TEXT_SCOPES: TextScope[] = ['default', 'default', 'title', 'summary', 'content', 'author', 'category', 'link'];
const REGEXES = ['kur.k', '\\d+', 'nor(th|x)', '^t', 'a/b', 'Troops?', 'depl[o]y(ed)?', 'r.ssia'];

const word = fc.constantFrom(...WORDS);
const scope = fc.constantFrom(...TEXT_SCOPES);

const wildcardPattern = fc.oneof(
  word.filter((w) => w.length >= 3).chain((w) => fc.integer({ min: 2, max: w.length - 1 }).map((n) => `${w.slice(0, n)}*`)),
  word
    .filter((w) => w.length >= 2)
    .chain((w) => fc.integer({ min: 0, max: w.length - 1 }).map((i) => `${w.slice(0, i)}?${w.slice(i + 1)}`)),
);

const positionalLeaf: fc.Arbitrary<LeafNode> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('term' as const), field: scope, word }), weight: 4 },
  fc.record({ kind: fc.constant('phrase' as const), field: scope, words: fc.array(word, { minLength: 2, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('wildcard' as const), field: scope, pattern: wildcardPattern }),
  fc.record({ kind: fc.constant('regex' as const), field: scope, source: fc.constantFrom(...REGEXES) }),
);

const keywordLeaf: fc.Arbitrary<LeafNode> = fc.oneof(
  fc.record({
    kind: fc.constant('keyword' as const),
    field: fc.constant('source' as const),
    value: fc.constantFrom('reuters.com', 'www.reuters.com', 'reuters', 'bbc.co.uk', 'com'),
  }),
  fc.record({
    kind: fc.constant('keyword' as const),
    field: fc.constant('lang' as const),
    value: fc.constantFrom('en', 'en-us', 'de', 'ko'),
  }),
  fc.record({
    kind: fc.constant('regex' as const),
    field: fc.constantFrom('source' as const, 'lang' as const),
    source: fc.constantFrom('reu', '^e'),
  }),
);

const { query } = fc.letrec<{ query: QueryNode; operand: QueryNode }>((tie) => ({
  operand: fc.oneof(
    { maxDepth: 2, withCrossShrink: true },
    { arbitrary: positionalLeaf, weight: 3 },
    fc.record({ kind: fc.constant('or' as const), children: fc.array(tie('operand'), { minLength: 2, maxLength: 3 }) }),
  ),
  query: fc.oneof(
    { maxDepth: 3, withCrossShrink: true },
    { arbitrary: positionalLeaf, weight: 3 },
    keywordLeaf,
    fc.record({ kind: fc.constant('and' as const), children: fc.array(tie('query'), { minLength: 2, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('or' as const), children: fc.array(tie('query'), { minLength: 2, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('not' as const), child: tie('query') }),
    fc.record({
      kind: fc.constant('near' as const),
      left: tie('operand'),
      right: tie('operand'),
      distance: fc.integer({ min: 0, max: 6 }),
      ordered: fc.boolean(),
    }),
  ),
}));

const text = (maxWords: number) =>
  fc
    .array(fc.tuple(fc.constantFrom(...VOCAB, 'the', 'TROOPS', 'Deployment'), fc.constantFrom(...SEPARATORS)), { maxLength: maxWords })
    .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

const randomArticle: fc.Arbitrary<Article> = fc
  .record({
    feedId: fc.constantFrom('reuters', 'bbc'),
    link: fc.constantFrom('https://www.reuters.com/world/troops', 'https://bbc.co.uk/news/x1', 'not a url'),
    title: text(6),
    summary: text(10),
    content: text(40),
    author: text(3),
    categories: fc.array(text(2), { maxLength: 2 }),
    lang: fc.option(fc.constantFrom('en', 'en-US', 'de', 'ko'), { nil: undefined }),
  })
  .map((fields) => article(fields));

const ctx = { feedTags: [], now: NOW };

describe('properties', () => {
  it('parse(print(ast)) gives back the same ast', () => {
    fc.assert(
      fc.property(query, (ast) => {
        const reparsed = parseQuery(printQuery(ast));
        expect(reparsed).toEqual({ ok: true, ast });
      }),
      { numRuns: 500 },
    );
  });

  it('the index matches exactly what the direct evaluator matches', () => {
    const rules = fc.array(fc.tuple(query, fc.option(query, { nil: undefined, freq: 4 })), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(rules, fc.array(randomArticle, { minLength: 1, maxLength: 3 }), (asts, articles) => {
        const defs: RuleDefinition[] = asts.map(([q, exclude], i) => ({
          id: `r${i}`,
          name: `r${i}`,
          query: printQuery(q),
          ...(exclude ? { exclude: printQuery(exclude) } : {}),
        }));
        const indexed = compileRules(defs);
        const direct = compileRules(defs, { presearch: false });
        expect(indexed.errors).toEqual([]);
        for (const a of articles) {
          const explained = (ruleSet: RuleSet) => ruleSet.match(a, ctx).map((hit) => hit.explain());
          expect(explained(indexed.ruleSet)).toEqual(explained(direct.ruleSet));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('the index matches something on most runs (the property above is not vacuous)', () => {
    let matched = 0;
    fc.assert(
      fc.property(query, randomArticle, (q, a) => {
        if (compileRules([{ id: 'r', name: 'r', query: printQuery(q) }]).ruleSet.match(a, ctx).length > 0) matched++;
      }),
      { numRuns: 300 },
    );
    expect(matched).toBeGreaterThan(30);
  });

  it.each([
    ['the default word cache', undefined],
    ['a word cache of 3 words, full after the first article', 3],
  ])('an analysed article records exactly the rule words and wildcard words it holds, cached or not (%s)', (_, wordCacheLimit) => {
    // Texts mixing rule words with arbitrary characters (upper case, digits, accents, astral letters,
    // lone surrogates): the scanner that hashes ASCII words must split and find exactly as tokenizeText.
    const noisyText = fc
      .array(fc.oneof(text(4), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 })), {
        maxLength: 4,
      })
      .map((parts) => parts.join(' '));
    const noisyArticle = fc
      .tuple(randomArticle, noisyText, noisyText)
      .map(([a, title, content]) => ({ ...a, title, content: `${content} ${a.content}` }));
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { maxLength: 6 }),
        fc.uniqueArray(
          word.filter((w) => w.length >= 2).chain((w) => fc.integer({ min: 2, max: w.length }).map((n) => w.slice(0, n))),
          { maxLength: 4 },
        ),
        fc.uniqueArray(
          wildcardPattern.filter((p) => p.includes('?')),
          { maxLength: 3 },
        ),
        fc.array(noisyArticle, { minLength: 1, maxLength: 3 }),
        (words, prefixes, patterns, articles) => {
          const vocabulary = new Vocabulary(wordCacheLimit);
          const wordIds = new Map(words.map((w) => [w, vocabulary.add(w)]));
          const matchers = [
            ...prefixes.map((p) => ({ id: vocabulary.addWildcard(`${p}*`, p, undefined), matches: (t: string) => t.startsWith(p) })),
            ...patterns.map((pattern) => {
              const re = new RegExp(`^${pattern.replaceAll('?', '[\\p{L}\\p{N}\\p{M}]').replace('*', '[\\p{L}\\p{N}\\p{M}]*')}$`, 'u');
              const wildcard = { kind: 'wildcard' as const, field: 'default' as const, pattern };
              return { id: wildcardId(wildcard, vocabulary), matches: (t: string) => re.test(t) };
            }),
          ];
          // Twice: the second pass reads the word cache filled by the first.
          for (const a of [...articles, ...articles]) {
            const doc = analyzeArticle(a, vocabulary);
            for (const [name, field] of Object.entries(doc.fields) as Array<[TextField, FieldText]>) {
              const reference = tokenizeText(field.text);
              expect([...field.ids]).toEqual(reference.tokens.map((t) => wordIds.get(t) ?? -1));
              const expected = field.tokens.flatMap((t, position) =>
                matchers.filter((m) => m.matches(t)).map(({ id }) => `${id}@${position}`),
              );
              const actual = matchers.flatMap(({ id }) => wildcardPositionsOf(doc, name, id).map((position) => `${id}@${position}`));
              expect(actual.sort()).toEqual(expected.sort());
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('tokenising the tokens again gives the same tokens (queries and articles agree)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        const tokens = tokenizeText(s).tokens;
        expect(tokenizeText(tokens.join(' ')).tokens).toEqual(tokens);
      }),
      { numRuns: 2000 },
    );
  });
});
