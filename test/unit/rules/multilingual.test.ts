import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../src/rules/index.js';
import { koreanBases } from '../../../src/rules/korean.js';
import { resolveTermSets } from '../../../src/rules/term-sets.js';
import { languageFromScript } from '../../../src/feeds/parse/language.js';
import type { RuleDefinition } from '../../../src/rules/rule-set.js';
import { article, NOW } from './article-fixture.js';

const TERM_SETS = resolveTermSets({
  north_korea: ['North Korea', 'DPRK', 'Pyongyang', '북한', '北朝鮮', 'Северная Корея', 'КНДР'],
  south_korea: ['South Korea', '한국', 'Южная Корея'],
  '@korea_all': ['@north_korea', '@south_korea'],
  troops: ['troops', 'soldiers', '파병', '병력', '~войска', '~военные'],
}).sets;

/** Matches with and without the presearch index: term sets and stems must expand into index keys. */
function matches(query: string, text: string, extra: Partial<RuleDefinition> & { lang?: string } = {}): string[][] {
  const { lang, ...def } = extra;
  const results = [true, false].map((presearch) => {
    const { ruleSet, errors } = compileRules([{ id: 'r', name: 'r', query, ...def }], { termSets: TERM_SETS, presearch });
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
    return ruleSet
      .match(article({ title: text, ...(lang ? { lang } : {}) }), { feedTags: [], now: NOW })
      .flatMap((hit) => hit.explain().terms.map((t) => t.words));
  });
  expect(results[0]).toEqual(results[1]);
  return results[0]!;
}

const compileError = (query: string) =>
  compileRules([{ id: 'r', name: 'r', query }], { termSets: TERM_SETS }).errors.map((e) => `${e.column}: ${e.message}`);

describe('Korean particles', () => {
  it.each([
    ['북한', '북한은 러시아에 병력을 보냈다', true],
    ['북한', '북한이 파병했다', true],
    ['북한', '북한의 병력', true],
    ['북한', '북한에서는 발표가 없었다', true],
    ['북한', '북한과 러시아', true],
    ['북한', '북한군이 배치됐다', false],
    ['북한*', '북한군이 배치됐다', true],
    ['파병', '북한이 러시아에 파병했다', true],
    ['병력', '병력을 추가로 보냈다', true],
    ['"북한 병력"', '북한의 병력이 이동했다', true],
    ['러시아', '러시아인 관광객', false],
  ])('%s in "%s": %s', (query, text, expected) => {
    expect(matches(query, text).length > 0).toBe(expected);
  });

  it('shows the article word that matched, particle and all', () => {
    expect(matches('북한 NEAR/3 파병', '북한은 러시아에 파병했다')).toEqual([['북한은'], ['파병했다']]);
  });

  it('strips particles longest first and never the whole word', () => {
    expect(koreanBases('북한에서는')[0]).toBe('북한');
    expect(koreanBases('은')).toEqual([]);
    expect(koreanBases('Korea')).toEqual([]);
  });
});

describe('Russian stems', () => {
  it.each([
    ['~войска', 'Войска КНДР в Курске', true],
    ['~войска', 'отвод войск', true],
    ['~войска', 'с северокорейскими войсками', true],
    ['~войска', 'войсковой учёт', false],
    ['войска', 'отвод войск', false],
    ['войска', 'отвод войск', true, 'ru'],
    ['~военные', 'тысячи военных прибыли', true],
    ['~troops', 'a troop of scouts', true],
  ])('%s in "%s": %s (rule stem %s)', (query, text, expected, stem?: string) => {
    expect(matches(query, text, stem ? { stem } : {}).length > 0).toBe(expected);
  });

  it('a rule-level stem leaves words of other scripts exact', () => {
    expect(matches('troops AND войска', 'troops и войск', { stem: 'ru' })).toEqual([['troops'], ['войск']]);
    expect(matches('troop AND войска', 'troops и войск', { stem: 'ru' })).toEqual([]);
  });

  it('rejects a stem on a script with no stemmer', () => {
    expect(compileError('~북한')).toEqual(["1: no stemmer for '~북한': set 'stem:' on the rule to a language with a Snowball stemmer"]);
  });
});

describe('term sets', () => {
  it('stand for the OR of their members in every language', () => {
    for (const text of [
      'North Korea sends troops',
      'КНДР направила войска',
      '북한은 러시아에 파병했다',
      'Северная Корея: военные прибыли',
    ]) {
      expect(matches('@north_korea AND @troops', text).length, text).toBeGreaterThan(0);
    }
    expect(matches('@north_korea AND @troops', 'South Korea sends troops')).toEqual([]);
  });

  it('work inside NEAR and field scopes', () => {
    expect(matches('title:@north_korea NEAR/10 @troops', 'DPRK has sent 4,000 more troops')).toEqual([['DPRK'], ['troops']]);
    expect(matches('title:@north_korea NEAR/1 @troops', 'DPRK, according to officials in Seoul, has sent troops')).toEqual([]);
  });

  it('include other sets', () => {
    expect(matches('@korea_all', 'Южная Корея ответила').length).toBeGreaterThan(0);
    expect(matches('@korea_all', 'Pyongyang answered').length).toBeGreaterThan(0);
  });

  it('report unknown names with a suggestion, and uses with keyword fields', () => {
    expect(compileError('troops AND @north_kora')).toEqual(["12: unknown term set '@north_kora' (did you mean '@north_korea'?)"]);
    expect(compileError('lang:@north_korea')).toEqual(["6: term sets cannot be used with 'lang:'"]);
  });

  it('report cycles and unknown includes where they are written', () => {
    const { problems } = resolveTermSets({ a: ['x', '@b'], b: ['@c'], c: ['@a'], d: ['@nope', '@a'] });
    expect(problems).toEqual([
      { set: 'c', member: 0, message: 'term sets include each other in a cycle: @a -> @b -> @c -> @a' },
      { set: 'd', member: 0, message: 'unknown term set "@nope"' },
    ]);
  });
});

describe('article language', () => {
  it.each([
    ['북한은 러시아에 병력을 보냈다', 'ko'],
    ['КНДР направила войска', 'ru'],
    ['Україна отримала нові дані', 'uk'],
    ['北朝鮮がロシアに兵士を派遣', 'ja'],
    ['朝鲜向俄罗斯派兵', 'zh'],
    ['North Korea sends troops', undefined],
  ])('%s -> %s', (text, lang) => expect(languageFromScript(text)).toBe(lang));

  it('lang: scopes a rule by the declared or detected language', () => {
    expect(matches('lang:ko AND @north_korea', '북한은 파병했다', { lang: 'ko' }).length).toBeGreaterThan(0);
    expect(matches('lang:ko AND @north_korea', 'North Korea', { lang: 'en-US' })).toEqual([]);
  });
});
