/** SimHash, the first story fingerprint tried: kept as the measured baseline of bench/stories.ts, not used by the pipeline. */
import { featureHash64 } from '../../src/stories/feature-hash.js';
import { storyShingles, type StoryText } from '../../src/stories/story-shingles.js';

const FINGERPRINT = /^[0-9a-f]{16}$/;

/**
 * 64-bit SimHash of the story shingles (title and lead words and word pairs) as 16 lowercase hex digits.
 * Verbatim copies land a few bits apart and unrelated articles about 32; edited copies spread over 5-30
 * bits, which is why `sameStory` compares shingles instead (see docs/stories.md). An article with no words
 * gets `0000000000000000`.
 */
export function storyFingerprint(article: StoryText): string {
  // Votes per bit: +1 when a shingle's hash has the bit set, -1 when not.
  const votes = new Int32Array(64);
  for (const shingle of storyShingles(article).shingles) {
    const [hi, lo] = featureHash64(shingle);
    for (let bit = 0; bit < 32; bit++) {
      votes[bit]! += ((hi >>> bit) & 1) * 2 - 1;
      votes[bit + 32]! += ((lo >>> bit) & 1) * 2 - 1;
    }
  }
  let hi = 0;
  let lo = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (votes[bit]! > 0) hi |= 1 << bit;
    if (votes[bit + 32]! > 0) lo |= 1 << bit;
  }
  return toHex8(hi) + toHex8(lo);
}

/** Number of differing bits between two fingerprints (0-64). */
export function hammingDistance(a: string, b: string): number {
  const [aHi, aLo] = fingerprintHalves(a);
  const [bHi, bLo] = fingerprintHalves(b);
  return popcount32(aHi ^ bHi) + popcount32(aLo ^ bLo);
}

/** The two 32-bit halves of a fingerprint; throws on anything but 16 lowercase hex digits. */
export function fingerprintHalves(fingerprint: string): [hi: number, lo: number] {
  if (!FINGERPRINT.test(fingerprint)) {
    throw new Error(`not a story fingerprint (16 lowercase hex digits expected): ${JSON.stringify(fingerprint)}`);
  }
  return [parseInt(fingerprint.slice(0, 8), 16), parseInt(fingerprint.slice(8), 16)];
}

function toHex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

function popcount32(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}
