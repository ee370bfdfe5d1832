import { describe, expect, it } from 'vitest';
import type { Article } from '../../../src/articles/article.js';
import { compileRules, compileRulesInSlices, formatExplanation, type RuleDefinition, type RuleHit } from '../../../src/rules/index.js';
import type { CompiledRuleSet } from '../../../src/rules/compile.js';
import { NOW, article } from './article-fixture.js';

const ctx = { feedTags: ['world'], now: NOW };
const explained = (hits: RuleHit[]) => hits.map((hit) => hit.explain());

function matches(query: string, fields: Partial<Article>, extra: Partial<RuleDefinition> = {}): boolean {
  const { ruleSet, errors } = compileRules([{ id: 'r', name: 'r', query, ...extra }]);
  expect(errors).toEqual([]);
  return ruleSet.match(article(fields), ctx).length === 1;
}

describe('matching words', () => {
  it('matches whole words only, case-insensitively', () => {
    expect(matches('troops', { title: 'TROOPS move' })).toBe(true);
    expect(matches('troop', { title: 'troops move' })).toBe(false);
    expect(matches('Kursk', { content: 'in kursk.' })).toBe(true);
  });

  it('folds diacritics and compatibility forms', () => {
    expect(matches('resume', { title: 'Her résumé' })).toBe(true);
    expect(matches('résumé', { title: 'her RESUME' })).toBe(true);
    expect(matches('dusseldorf', { title: 'Düsseldorf' })).toBe(true);
    expect(matches('fire', { title: 'ﬁre' })).toBe(true); // NFKC ligature
    expect(matches('abc', { title: 'ＡＢＣ' })).toBe(true); // full-width
    expect(matches('strasse', { title: 'Hauptstraße' })).toBe(false);
    expect(matches('Straße', { title: 'STRASSE' })).toBe(true);
    expect(matches('ΟΔΟΣ', { title: 'οδός' })).toBe(true); // final sigma
  });

  it('matches Cyrillic and Hangul words, and Hangul prefixes', () => {
    expect(matches('Курск', { title: 'Войска в КУРСКЕ и курск' })).toBe(true);
    expect(matches('ёлка', { title: 'ёлка' })).toBe(true);
    expect(matches('북한', { title: '북한 군대 러시아 파병' })).toBe(true);
    expect(matches('북한*', { title: '북한군이 러시아에' })).toBe(true);
    expect(matches('북한', { title: '북한군이 러시아에' })).toBe(false);
  });

  it("splits on apostrophes: Korea's contains korea", () => {
    expect(matches('korea', { title: "North Korea's army" })).toBe(true);
    expect(matches('korea', { title: 'North Korea’s army' })).toBe(true);
  });
});

describe('phrases and proximity', () => {
  it('matches phrases across punctuation and line breaks, in order only', () => {
    expect(matches('"north korea"', { content: 'the North,\n  Korea said' })).toBe(true);
    expect(matches('"north korea"', { content: 'Korea north' })).toBe(false);
    expect(matches('"north korea"', { title: 'north', content: 'korea' })).toBe(false);
  });

  it('NEAR/n matches in both orders with at most n words between', () => {
    const query = '(troops OR soldiers) NEAR/3 (Russia OR Kursk)';
    expect(matches(query, { content: 'troops were sent to Russia' })).toBe(true);
    expect(matches(query, { content: 'Kursk has received more soldiers' })).toBe(true);
    expect(matches(query, { content: 'troops were then sent to Russia' })).toBe(false);
    expect(matches('troops NEAR/0 russia', { content: 'Russia, troops' })).toBe(true);
  });

  it('ONEAR requires the left operand first', () => {
    expect(matches('troops ONEAR/3 Russia', { content: 'troops to Russia' })).toBe(true);
    expect(matches('troops ONEAR/3 Russia', { content: 'Russia got troops' })).toBe(false);
  });

  it('NEAR alone means NEAR/5, counted from the end of a phrase', () => {
    expect(matches('a NEAR b', { content: 'a x x x x x b' })).toBe(true);
    expect(matches('a NEAR b', { content: 'a x x x x x x b' })).toBe(false);
    expect(matches('"north korea" NEAR/0 troops', { content: 'north korea troops' })).toBe(true);
    expect(matches('troops NEAR/0 "north korea"', { content: 'north korea troops' })).toBe(true);
    expect(matches('korea NEAR/0 korea', { content: 'korea' })).toBe(false);
  });

  it('NEAR stays within one field', () => {
    expect(matches('troops NEAR/5 russia', { title: 'troops', summary: 'russia' })).toBe(false);
  });
});

describe('wildcards and regexes', () => {
  it('matches prefixes and single letters', () => {
    expect(matches('deploy*', { content: 'They deployed' })).toBe(true);
    expect(matches('deploy*', { content: 'deploy' })).toBe(true);
    expect(matches('deploy*', { content: 'redeploy' })).toBe(false);
    expect(matches('soldier?', { content: 'soldiers' })).toBe(true);
    expect(matches('soldier?', { content: 'soldier' })).toBe(false);
  });

  it('matches RE2 regexes against the raw field text', () => {
    expect(matches('/kur.k/', { content: 'KURSK' })).toBe(true);
    expect(matches('title:/\\d{4}-\\d{2}/', { title: 'on 2026-11 it' })).toBe(true);
    expect(matches('title:/\\d{4}-\\d{2}/', { content: 'on 2026-11 it' })).toBe(false);
  });
});

describe('fields', () => {
  it('searches title, summary and content by default', () => {
    expect(matches('troops', { summary: 'troops' })).toBe(true);
    expect(matches('troops', { author: 'troops' })).toBe(false);
  });

  it('restricts a term or a group to a field', () => {
    expect(matches('title:troops', { title: 'troops' })).toBe(true);
    expect(matches('title:troops', { content: 'troops' })).toBe(false);
    expect(matches('author:(smith OR jones)', { author: 'Ann Jones' })).toBe(true);
    expect(matches('category:politics', { categories: ['World', 'Politics'] })).toBe(true);
    expect(matches('link:world', {})).toBe(true);
  });

  it('source: matches the feed id, the host, and parent domains of the host', () => {
    expect(matches('source:reuters.com', {})).toBe(true);
    expect(matches('source:www.reuters.com', {})).toBe(true);
    expect(matches('source:World-News', {})).toBe(true);
    expect(matches('source:bbc.co.uk', {})).toBe(false);
    expect(matches('source:ters.com', {})).toBe(false);
  });

  it('lang: matches the tag and its prefixes', () => {
    expect(matches('lang:en', { lang: 'en-US' })).toBe(true);
    expect(matches('lang:en-us', { lang: 'en_US' })).toBe(true);
    expect(matches('lang:en', { lang: 'de' })).toBe(false);
    expect(matches('lang:en', {})).toBe(false);
  });
});

describe('rule options', () => {
  it('vetoes with exclude', () => {
    expect(matches('troops', { content: 'troops' }, { exclude: 'exercise' })).toBe(true);
    expect(matches('troops', { content: 'troops exercise' }, { exclude: 'exercise' })).toBe(false);
  });

  it('limits to feeds and to feed tags', () => {
    expect(matches('troops', { content: 'troops' }, { feeds: ['world-news'] })).toBe(true);
    expect(matches('troops', { content: 'troops' }, { feeds: ['other'] })).toBe(false);
    expect(matches('troops', { content: 'troops' }, { tags: ['world', 'x'] })).toBe(true);
    expect(matches('troops', { content: 'troops' }, { tags: ['sport'] })).toBe(false);
  });

  it('ignores articles older than maxAgeMs, but not undated ones', () => {
    const old = new Date(NOW - 3 * 3600_000).toISOString();
    expect(matches('troops', { content: 'troops', published: old }, { maxAgeMs: 2 * 3600_000 })).toBe(false);
    expect(matches('troops', { content: 'troops', published: old }, { maxAgeMs: 4 * 3600_000 })).toBe(true);
    expect(matches('troops', { content: 'troops', published: 'garbage' }, { maxAgeMs: 1 })).toBe(true);
  });

  it('allows a purely negative query', () => {
    expect(matches('NOT sport', { content: 'troops' })).toBe(true);
    expect(matches('NOT sport', { content: 'sport' })).toBe(false);
  });
});

describe('compileRules', () => {
  it('reports bad rules with a caret and compiles the good ones', () => {
    const { ruleSet, errors } = compileRules([
      { id: 'good', name: 'g', query: 'troops' },
      { id: 'bad', name: 'b', query: 'a AND (b OR c' },
      { id: 'bad-exclude', name: 'e', query: 'troops', exclude: 'foo:bar' },
    ]);
    expect(ruleSet.size).toBe(1);
    expect(errors).toEqual([
      {
        ruleId: 'bad',
        field: 'query',
        column: 14,
        message: "expected ')' to close '(' at column 7",
        display: 'a AND (b OR c\n             ^ column 14',
      },
      expect.objectContaining({ ruleId: 'bad-exclude', field: 'exclude', column: 1 }),
    ]);
  });

  it('compiles in slices, yielding to the event loop, to the same rule set', async () => {
    const defs = Array.from({ length: 25 }, (_, i) => ({ id: `r${i}`, name: 'r', query: i === 3 ? '(' : `troops w${i}` }));
    let ranMeanwhile = false;
    const pending = compileRulesInSlices(defs, { sliceSize: 5 });
    setImmediate(() => (ranMeanwhile = true));
    const sliced = await pending;
    const whole = compileRules(defs);
    expect(sliced.errors).toEqual(whole.errors);
    expect(sliced.ruleSet.size).toBe(24);
    const a = article({ content: 'troops w7' });
    expect(explained(sliced.ruleSet.match(a, ctx))).toEqual(explained(whole.ruleSet.match(a, ctx)));
    expect(sliced.ruleSet.match(a, ctx).map((m) => m.ruleId)).toEqual(['r7']);
    expect(ranMeanwhile).toBe(true);
  });

  it('never throws on malformed definitions', () => {
    const defs = [{ id: 'x', name: 'x' }] as unknown as RuleDefinition[];
    expect(compileRules(defs).errors[0]?.message).toBe('empty query: expected a term');
  });
});

describe('presearch', () => {
  it('leaves a field-restricted rule out when its word occurs only in other fields', () => {
    const { ruleSet } = compileRules([
      { id: 'title', name: 'title', query: 'title:troops' },
      { id: 'body', name: 'body', query: 'content:(troops OR soldiers)' },
    ]);
    const set = ruleSet as CompiledRuleSet;
    expect(set.candidateCount(article({ content: 'troops' }))).toBe(1);
    expect(set.candidateCount(article({ title: 'troops' }))).toBe(1);
    expect(set.candidateCount(article({ author: 'Troops', summary: 'soldiers' }))).toBe(0);
    expect(set.candidateCount(article({ title: 'troops', content: 'soldiers' }))).toBe(2);
  });

  it('looks up ?-wildcards like words instead of evaluating them on every article', () => {
    const { ruleSet } = compileRules([{ id: 'r', name: 'r', query: 'r?ssia OR ~войска' }]);
    const set = ruleSet as CompiledRuleSet;
    expect(set.alwaysEvaluated).toBe(0);
    expect(set.candidateCount(article({ content: 'troops and tanks' }))).toBe(0);
    expect(set.candidateCount(article({ content: 'Russia' }))).toBe(1);
    expect(set.candidateCount(article({ content: 'войск' }))).toBe(1);
  });

  it("indexes a rule under its rarer wildcard: the one fewer of the rule set's own words start with", () => {
    // The rule set names three words starting with `deplo` and none with `kurs`: `kurs*` is the
    // rarer key although its prefix is shorter, so with `zaporizhzhia` it is what the rule is indexed under.
    const { ruleSet } = compileRules([
      { id: 'words', name: 'words', query: 'deploy OR deployed OR deployment' },
      { id: 'wildcards', name: 'wildcards', query: 'deplo* AND kurs* AND zaporizhzhia' },
    ]);
    const set = ruleSet as CompiledRuleSet;
    expect(set.candidateCount(article({ content: 'deployed to zaporizhzhia' }))).toBe(1);
    expect(set.candidateCount(article({ content: 'kursk and zaporizhzhia' }))).toBe(1);
    expect(set.candidateCount(article({ content: 'deployed from kursk to zaporizhzhia' }))).toBe(2);
  });
});

describe('explanations', () => {
  const text = {
    title: 'North Korea sends troops',
    content:
      'Officials met on Monday. ' +
      'Filler words keep going here for a while so that the snippet has to choose a window. '.repeat(3) +
      'Reports say North Korean troops were deployed to the Kursk region of Russia, officials said on Tuesday.',
  };

  it('lists matched terms with fields, positions and the words as written', () => {
    const { ruleSet } = compileRules([{ id: 'r', name: 'r', query: '(troops OR soldiers) NEAR/8 (Russia OR Kursk) deploy* -exercise' }]);
    const [match] = explained(ruleSet.match(article(text), ctx));
    expect(match?.matched).toEqual(['troops', 'russia', 'kursk', 'deploy*']);
    expect(match?.terms).toContainEqual({ term: 'troops', field: 'title', positions: [3], words: ['troops'] });
    expect(match?.terms).toContainEqual(expect.objectContaining({ term: 'deploy*', field: 'content', words: ['deployed'] }));
  });

  it('reports a hit once when the feed repeats its summary as content, yet content: still matches', () => {
    const summary = 'North Korean troops reached Kursk.';
    const { ruleSet } = compileRules([
      { id: 'r', name: 'r', query: 'troops' },
      { id: 'c', name: 'c', query: 'content:kursk' },
    ]);
    const [match, contentMatch] = explained(ruleSet.match(article({ title: 'Update', summary, content: summary }), ctx));
    expect(match?.terms.map((t) => t.field)).toEqual(['summary']);
    expect(contentMatch?.terms.map((t) => t.field)).toEqual(['content']);
  });

  it('marks the matched words in a snippet of about 30 words around the best hit', () => {
    const { ruleSet } = compileRules([{ id: 'r', name: 'r', query: 'troops AND kursk' }]);
    const [match] = explained(ruleSet.match(article(text), ctx));
    expect(match?.snippet).toContain('North Korean «troops» were deployed to the «Kursk» region');
    expect(match?.snippet.startsWith('… ')).toBe(true);
    expect(match?.snippet.split(' ').length).toBeLessThanOrEqual(32);
  });

  it('explains on demand, also after other articles were matched with the same rule set', () => {
    const { ruleSet } = compileRules([{ id: 'r', name: 'r', query: 'troops NEAR/2 Kursk' }]);
    const first = article({ title: 'Troops reach Kursk' });
    const [late] = ruleSet.match(first, ctx);
    const [other] = ruleSet.match(article({ content: 'more troops in Kursk and troops again' }), ctx);
    const lateExplanation = late!.explain();
    const [now] = ruleSet.match(first, ctx);
    expect(lateExplanation).toEqual(now!.explain());
    expect(late!.explain().terms.map((t) => [t.field, t.positions])).toEqual([
      ['title', [0]],
      ['title', [2]],
    ]);
    expect(other!.explain().terms.map((t) => [t.field, t.positions])).toEqual([
      ['content', [1, 5]],
      ['content', [3]],
    ]);
  });

  it('renders a readable explanation', () => {
    const { ruleSet } = compileRules([{ id: 'r', name: 'r', query: '"north korea"' }]);
    const [match] = explained(ruleSet.match(article(text), ctx));
    expect(formatExplanation(match!)).toContain('title: "north korea" at word 0 ("North Korea")');
  });
});
