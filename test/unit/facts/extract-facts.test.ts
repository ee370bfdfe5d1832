import { describe, expect, it } from 'vitest';
import { describeNewFacts, extractFacts, newFacts, sentences } from '../../../src/facts/extract-facts.js';
import { findNumbers, koreanValue } from '../../../src/facts/numbers.js';

const figures = (text: string, near?: string[]) =>
  extractFacts(text, { near }).flatMap((f) => (f.kind === 'figure' ? [{ text: f.text, value: f.value, unit: f.unit }] : []));
const places = (text: string) => extractFacts(text).flatMap((f) => (f.kind === 'place' ? [f.place] : []));

describe('numbers as news writes them', () => {
  it.each([
    ['4,000', 4000],
    ['4.000', 4000],
    ['4 000', 4000],
    ['4\u00a0000', 4000],
    ['12,000,000', 12_000_000],
    ['1.5 million', 1_500_000],
    ['four thousand', 4000],
    ['twenty-five hundred', 2500],
    ['a thousand', 1000],
    ['one hundred and fifty thousand', 150_000],
    ['4 тыс.', 4000],
    ['1,5 тыс.', 1500],
    ['6 тысяч', 6000],
    ['четыре тысячи', 4000],
    ['2 млн', 2_000_000],
  ])('%s = %d', (text, value) => {
    expect(findNumbers(`about ${text} units`).map((n) => n.value)).toEqual([value]);
  });

  it.each([
    ['4천', 4000],
    ['1만 2천', 12_000],
    ['1만2000', 12_000],
    ['3억', 300_000_000],
  ])('Korean %s = %d', (text, value) => expect(koreanValue(text)).toBe(value));

  it('ignores lone small number words and keeps separate figures apart', () => {
    expect(findNumbers('one soldier and two officers').map((n) => n.value)).toEqual([]);
    expect(findNumbers('in 2024 10 soldiers').map((n) => n.value)).toEqual([2024, 10]);
  });

  it('knows number words only from its own tables, not from what every object inherits', () => {
    // "constructor" was once found with `in` on a plain object and turned the figure into text.
    expect(findNumbers('two thousand constructor workers').map((n) => n.value)).toEqual([2000]);
    expect(findNumbers('constructor thousand').map((n) => n.value)).toEqual([]);
  });
});

describe('figures in realistic sentences', () => {
  it('reads the NIS briefing in English', () => {
    expect(
      figures(
        'North Korea has sent 4,000 more soldiers to Russia, and 6,000 military construction troops will follow, the NIS told lawmakers.',
      ),
    ).toEqual([
      { text: '4,000 more soldiers', value: 4000, unit: 'soldiers' },
      { text: '6,000 military construction troops', value: 6000, unit: 'military construction troops' },
    ]);
  });

  it('reads the same briefing in Korean, unit before or after the number', () => {
    expect(figures('국정원은 북한이 러시아에 병력 4천 명을 추가 파병했다고 밝혔다. 군사 건설 인력 6천 명도 보낼 예정이다.')).toEqual([
      { text: '병력 4천 명', value: 4000, unit: '병력' },
      { text: '군사 건설 인력 6천 명', value: 6000, unit: '군사 건설 인력' },
    ]);
    expect(figures('약 3천 명의 병력이 도착했다.')).toEqual([{ text: '3천 명의 병력', value: 3000, unit: '병력' }]);
    expect(figures('북한군 1만 2천 명이 배치됐다.')).toEqual([{ text: '북한군 1만 2천 명', value: 12_000, unit: '북한군' }]);
  });

  it('reads the same briefing in Russian, with abbreviations inside the sentence', () => {
    expect(figures('КНДР направила в Россию ещё 4 тыс. военных и около 6 тысяч военных строителей.')).toEqual([
      { text: '4 тыс. военных', value: 4000, unit: 'военных' },
      { text: '6 тысяч военных строителей', value: 6000, unit: 'военных строителей' },
    ]);
    expect(sentences('Ещё 4 тыс. военных прибыли. Вторая фраза.')).toEqual(['Ещё 4 тыс. военных прибыли.', 'Вторая фраза.']);
  });

  it('takes no figure from dates, years, percentages, money or page counts', () => {
    expect(figures('The report, published on 12 March 2025, runs to 2,000 pages.')).toEqual([]);
    expect(figures('Trade rose 9.3% to $34 million in 2024.')).toEqual([]);
    expect(figures('Товарооборот вырос на 9,3% до 34 млн долларов.')).toEqual([]);
    expect(figures('무역 규모는 전년보다 9.3% 늘었다.')).toEqual([]);
  });

  it('reads only sentences near the matched words when they are given', () => {
    const text = 'Markets fell 300 points. North Korea sent 4,000 soldiers to Russia. Exporters hired 900 workers.';
    expect(figures(text, ['North Korea']).map((f) => f.value)).toEqual([4000]);
    expect(figures(text).map((f) => f.value)).toEqual([4000, 900]);
  });
});

describe('places from the gazetteer', () => {
  it('finds watched places in every script, inflected or with particles', () => {
    expect(places('Troops reached the Kursk region.')).toEqual(['Kursk']);
    expect(places('병력이 쿠르스크에 배치됐다.')).toEqual(['Kursk']);
    expect(places('Бои идут в Курской области, под Белгородом.')).toEqual(['Kursk', 'Belgorod']);
    expect(places('Kurskaya is not a watched word; neither is Kurst.')).toEqual([]);
  });
});

describe('follow-ups say what changed', () => {
  it('lists figures and places the first alert did not have', () => {
    const first = extractFacts('North Korea sent 4,000 more soldiers to Russia.');
    const later = extractFacts('North Korea sent 4,000 more soldiers to Russia and 6,000 military construction troops to Kursk.');
    const added = newFacts(first, later);
    expect(added.map((f) => (f.kind === 'figure' ? f.value : f.place))).toEqual([6000, 'Kursk']);
    expect(describeNewFacts(added)).toBe('now 6,000 military construction troops as well; also Kursk');
    expect(describeNewFacts(added.slice(1))).toBe('now also Kursk');
    expect(describeNewFacts(newFacts(later, later))).toBe('');
  });
});
