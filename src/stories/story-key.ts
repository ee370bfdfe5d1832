import { featureHash64 } from './feature-hash.js';
import { hashAll, hashedBandKeys } from './minhash-bands.js';
import { markedStoryShingles, shingleOverlap, type StoryText } from './story-shingles.js';

/**
 * Smallest shingle overlap at which two articles are the same story. Chosen from the evaluation in
 * bench/stories.ts (bench/RESULTS.md, "Story clustering").
 */
export const STORY_OVERLAP = 0.55;

/** What the story store keeps per article: lookup keys and the shingles to confirm a candidate with. */
export interface StoryKey {
  /** MinHash LSH keys: index the article under each; earlier articles sharing one are candidates. */
  bands: string[];
  /** Sorted distinct words and word pairs of title and lead, compared by `sameStory`. */
  shingles: string[];
}

export function storyKey(article: StoryText): StoryKey {
  const { shingles, head } = markedStoryShingles(article);
  const hashed = hashAll(shingles);
  hashed.head.set(head);
  HIGH_HASHES.set(shingles, hashed.hi);
  return { bands: hashedBandKeys(hashed), shingles };
}

/** The high halves of the hashes `storyKey` computed, by its shingles, so `shingleHashes` need not hash them again. */
const HIGH_HASHES = new WeakMap<readonly string[], Uint32Array>();

/** Overlap of two articles' shingles (0-1); the nearest candidate is the one with the highest. */
export function storySimilarity(a: StoryKey, b: StoryKey): number {
  return shingleOverlap(a.shingles, b.shingles);
}

/** Whether two articles are copies of one story: their shingles overlap by at least `minOverlap`. */
export function sameStory(a: StoryKey, b: StoryKey, minOverlap: number = STORY_OVERLAP): boolean {
  return storySimilarity(a, b) >= minOverlap;
}

/**
 * Shingles as the story store keeps them: 32 bits of each one's hash, distinct, 4 bytes each. Two
 * different shingles of two articles collide with probability about 2^-32, so overlaps computed on the
 * hashes are the overlaps of the shingles, at a quarter or less of the bytes.
 */
export function shingleHashes(shingles: readonly string[]): Buffer {
  const all = HIGH_HASHES.get(shingles) ?? Uint32Array.from(shingles, (s) => featureHash64(s)[0]);
  // Distinct in first-seen order; two equal hashes in one article are rare enough to leave to a Set.
  const hashes = hasRepeats(all) ? [...new Set(all)] : all;
  const packed = Buffer.allocUnsafe(hashes.length * 4);
  let offset = 0;
  for (const hash of hashes) offset = packed.writeUInt32BE(hash, offset);
  return packed;
}

function hasRepeats(values: Uint32Array): boolean {
  const sorted = values.slice().sort();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return true;
  return false;
}
