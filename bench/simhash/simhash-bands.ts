import { fingerprintHalves, hammingDistance } from './fingerprint.js';

/**
 * The SimHash baseline, kept to measure against (bench/stories.ts); the story store uses `storyKey` and
 * `sameStory` from story-key.ts. SIMHASH_THRESHOLD is the widest distance that kept pairwise precision at
 * 99% in the evaluation, where it finds only 27% of same-story pairs, nearly all near-verbatim copies.
 */
export const SIMHASH_THRESHOLD = 12;

/** Whether two fingerprints are within `threshold` bits of each other. */
export function isSameStory(a: string, b: string, threshold: number = SIMHASH_THRESHOLD): boolean {
  return hammingDistance(a, b) <= threshold;
}

/**
 * Lookup keys for a fingerprint: its 64 bits cut into `threshold + 1` contiguous bands, each key naming the
 * band count, the band's index and its bits in hex (`13.4.1f`). Two fingerprints at most `threshold` bits
 * apart differ in at most `threshold` bands, so they share at least one key (pigeonhole): looking up every
 * key of a new article finds every earlier article within the threshold, plus some farther ones to check
 * with `isSameStory`. The more bands, the shorter each one and the more unrelated candidates per key.
 */
export function bandKeys(fingerprint: string, threshold: number = SIMHASH_THRESHOLD): string[] {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > 63) {
    throw new Error(`story threshold must be an integer from 0 to 63, got ${threshold}`);
  }
  fingerprintHalves(fingerprint); // validates
  // BigInt because a band can be wider than the 53 bits a number holds; this runs once per article.
  const bits = BigInt(`0x${fingerprint}`);
  const bandCount = threshold + 1;
  const keys: string[] = [];
  let start = 0;
  for (let band = 0; band < bandCount; band++) {
    // The first 64 % bandCount bands take one extra bit so the widths add up to 64.
    const width = Math.floor(64 / bandCount) + (band < 64 % bandCount ? 1 : 0);
    const value = ((bits >> BigInt(64 - start - width)) & ((1n << BigInt(width)) - 1n)).toString(16);
    keys.push(`${bandCount}.${band}.${value}`);
    start += width;
  }
  return keys;
}
