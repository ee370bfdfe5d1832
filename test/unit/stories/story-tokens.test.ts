import { describe, expect, it } from 'vitest';
import { normaliseText, storyTokens } from '../../../src/stories/story-tokens.js';

describe('storyTokens', () => {
  it('case-folds, strips accents and drops stop words and one-letter words', () => {
    expect(storyTokens('The Société Générale FEARS a Zürich café is OPEN')).toEqual([
      'societe',
      'generale',
      'fears',
      'zurich',
      'cafe',
      'open',
    ]);
  });

  it('drops news furniture: weekdays, "said", agency names, "read more"', () => {
    expect(storyTokens('SEOUL (Reuters) - Troops arrived on Monday, officials said. Read more')).toEqual([
      'seoul',
      'troops',
      'arrived',
      'officials',
    ]);
  });

  it('folds full-width forms with NFKC', () => {
    expect(storyTokens('ＫＵＲＳＫ Ｒｅｇｉｏｎ')).toEqual(['kursk', 'region']);
  });

  it('keeps Hangul syllables whole', () => {
    expect(normaliseText('북한군 쿠르스크')).toBe('북한군 쿠르스크');
    expect(storyTokens('북한군 쿠르스크 도착')).toEqual(['북한군', '쿠르스크', '도착']);
  });

  it('keeps Devanagari vowel signs inside their word', () => {
    expect(storyTokens('भारत में चुनाव')).toEqual(['भारत', 'में', 'चुनाव']);
  });

  it('splits unspaced Han and kana runs into character pairs', () => {
    expect(storyTokens('日本地震')).toEqual(['日本', '本地', '地震']);
  });

  it('keeps numbers of any length and drops digit grouping', () => {
    expect(storyTokens('A 7.1 quake; 10,000 flee, 5 dead')).toEqual(['71', 'quake', '10000', 'flee', '5', 'dead']);
  });
});
