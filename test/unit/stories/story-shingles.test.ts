import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEAD_TOKENS, LEAD_TOKENS, shingleOverlap, storyShingles } from '../../../src/stories/story-shingles.js';

const words = (count: number, prefix = 'word') => Array.from({ length: count }, (_, i) => `${prefix}${i}`).join(' ');

describe('storyShingles', () => {
  it('gives the distinct words and adjacent word pairs of title and lead, sorted', () => {
    const { shingles, headShingles } = storyShingles({
      title: 'Troops reach Kursk',
      summary: '',
      content: 'The troops reached the Kursk region.',
    });
    expect(shingles).toEqual([
      'kursk',
      'kursk region',
      'reach',
      'reach kursk',
      'reached',
      'reached kursk',
      'region',
      'troops',
      'troops reach',
      'troops reached',
    ]);
    expect(headShingles).toEqual(shingles);
  });

  it('does not pair the last title word with the first lead word', () => {
    const { shingles } = storyShingles({ title: 'alpha', summary: '', content: 'beta' });
    expect(shingles).toEqual(['alpha', 'beta']);
  });

  it('takes the lead from content, else from summary', () => {
    const fromContent = storyShingles({ title: '', summary: 'ignored teaser', content: 'kursk troops' });
    expect(fromContent.shingles).toEqual(['kursk', 'kursk troops', 'troops']);
    const fromSummary = storyShingles({ title: '', summary: 'kursk troops', content: ' \n' });
    expect(fromSummary.shingles).toEqual(fromContent.shingles);
  });

  it(`reads only the first ${LEAD_TOKENS} lead words, and ${HEAD_TOKENS} for the head`, () => {
    const lead = storyShingles({ title: '', summary: '', content: words(500) });
    expect(lead.shingles).toContain(`word${LEAD_TOKENS - 1}`);
    expect(lead.shingles).not.toContain(`word${LEAD_TOKENS}`);
    expect(lead.headShingles).toContain(`word${HEAD_TOKENS - 1}`);
    expect(lead.headShingles).not.toContain(`word${HEAD_TOKENS}`);
    expect(lead.shingles).toHaveLength(2 * LEAD_TOKENS - 1);
  });
});

describe('shingleOverlap', () => {
  it('is the share of the smaller set found in the larger', () => {
    expect(shingleOverlap(['a', 'b'], ['a', 'b', 'c', 'd'])).toBe(1);
    expect(shingleOverlap(['a', 'b', 'c', 'd'], ['a', 'x'])).toBe(0.5);
    expect(shingleOverlap(['a'], ['b'])).toBe(0);
    expect(shingleOverlap([], ['a'])).toBe(0);
  });

  it('is symmetric and between 0 and 1', () => {
    const set = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'));
    fc.assert(
      fc.property(set, set, (a, b) => {
        const overlap = shingleOverlap(a, b);
        expect(shingleOverlap(b, a)).toBe(overlap);
        expect(overlap).toBeGreaterThanOrEqual(0);
        expect(overlap).toBeLessThanOrEqual(1);
      }),
    );
  });
});
