import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hammingDistance } from '../../../bench/simhash/fingerprint.js';
import { bandKeys, isSameStory, SIMHASH_THRESHOLD } from '../../../bench/simhash/simhash-bands.js';

const fingerprint = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const hex = (n: bigint) => n.toString(16).padStart(16, '0');

describe('bandKeys', () => {
  it('cuts 64 bits into threshold + 1 bands whose widths add up to 64', () => {
    expect(bandKeys('ffffffffffffffff', 3)).toEqual(['4.0.ffff', '4.1.ffff', '4.2.ffff', '4.3.ffff']);
    // 64 = 4 * 10 + 2 * 12: the first four bands are 11 bits (7ff), the last two 10 bits (3ff).
    expect(bandKeys('ffffffffffffffff', 5)).toEqual(['6.0.7ff', '6.1.7ff', '6.2.7ff', '6.3.7ff', '6.4.3ff', '6.5.3ff']);
    expect(bandKeys('0123456789abcdef', 0)).toEqual(['1.0.123456789abcdef']);
  });

  it('shares a key between any two fingerprints within the threshold (pigeonhole)', () => {
    fc.assert(
      fc.property(fingerprint, fc.integer({ min: 0, max: 24 }), fc.array(fc.integer({ min: 0, max: 63 })), (fp, threshold, flips) => {
        const flipped = flips.slice(0, threshold).reduce((n, bit) => n ^ (1n << BigInt(bit)), fp);
        const a = hex(fp);
        const b = hex(flipped);
        expect(hammingDistance(a, b)).toBeLessThanOrEqual(threshold);
        const keysOfB = new Set(bandKeys(b, threshold));
        expect(bandKeys(a, threshold).some((key) => keysOfB.has(key))).toBe(true);
      }),
    );
  });

  it('shares no key when every band differs', () => {
    expect(bandKeys('0000000000000000', 3).filter((k) => bandKeys('0001000100010001', 3).includes(k))).toEqual([]);
  });

  it('rejects thresholds outside 0-63', () => {
    expect(() => bandKeys('0000000000000000', 64)).toThrow(/0 to 63/);
    expect(() => bandKeys('0000000000000000', 1.5)).toThrow(/0 to 63/);
  });
});

describe('isSameStory', () => {
  it('accepts up to the threshold and no further', () => {
    expect(isSameStory('0000000000000000', '0000000000000007', 3)).toBe(true);
    expect(isSameStory('0000000000000000', '000000000000000f', 3)).toBe(false);
    expect(isSameStory('0000000000000000', 'ffffffffffffffff')).toBe(false);
    expect(SIMHASH_THRESHOLD).toBeGreaterThan(0);
  });
});
