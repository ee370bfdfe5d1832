import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STORY_BAND_SHAPE, storyBandKeys } from '../../../src/stories/minhash-bands.js';

const shingleSet = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 80 });
const shared = (a: string[], b: string[]) => a.filter((key) => b.includes(key)).length;

describe('storyBandKeys', () => {
  it('gives one key per head band and body band, labelled and numbered', () => {
    const keys = storyBandKeys(['kursk', 'troops'], ['kursk']);
    expect(keys).toHaveLength(STORY_BAND_SHAPE.headBands + STORY_BAND_SHAPE.bands);
    expect(keys[0]).toMatch(/^h0\.[0-9a-f]{16}$/);
    expect(keys[STORY_BAND_SHAPE.headBands]).toMatch(/^b0\.[0-9a-f]{16}$/);
    expect(keys.at(-1)).toMatch(new RegExp(`^b${STORY_BAND_SHAPE.bands - 1}\\.`));
  });

  it('gives no keys for an article without words', () => {
    expect(storyBandKeys([], [])).toEqual([]);
  });

  it('is deterministic and ignores shingle order', () => {
    fc.assert(
      fc.property(shingleSet, (shingles) => {
        expect(storyBandKeys([...shingles].reverse(), shingles)).toEqual(storyBandKeys(shingles, [...shingles].reverse()));
      }),
    );
  });

  it('shares every key between equal sets and none between disjoint ones', () => {
    fc.assert(
      fc.property(shingleSet, shingleSet, (a, b) => {
        const keysA = storyBandKeys(a, a);
        expect(shared(keysA, storyBandKeys([...a], [...a]))).toBe(keysA.length);
        const disjoint = b.map((s) => `other:${s}`);
        expect(shared(keysA, storyBandKeys(disjoint, disjoint))).toBe(0);
      }),
    );
  });

  it('finds a teaser through the head bands though its whole set is small against the report', () => {
    const title = ['kursk', 'troops', 'kursk troops'];
    const report = [...title, ...Array.from({ length: 120 }, (_, i) => `body${i}`)];
    const teaserHead = [...title, 'body0', 'body1'];
    const reportHead = [...title, 'body0', 'body1', 'body2'];
    const keysOfReport = storyBandKeys(report, reportHead);
    expect(
      shared(
        storyBandKeys(teaserHead, teaserHead).filter((k) => k.startsWith('h')),
        keysOfReport,
      ),
    ).toBeGreaterThan(0);
  });
});
