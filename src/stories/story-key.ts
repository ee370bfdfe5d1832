import { featureHash64 } from './feature-hash.js';
import { storyBandKeys } from './minhash-bands.js';
import { shingleOverlap, storyShingles, type StoryText } from './story-shingles.js';

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
  const { shingles, headShingles } = storyShingles(article);
  return { bands: storyBandKeys(shingles, headShingles), shingles };
}

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
  const hashes = new Set(shingles.map((s) => featureHash64(s)[0]));
  const packed = Buffer.alloc(hashes.size * 4);
  let offset = 0;
  for (const hash of hashes) offset = packed.writeUInt32BE(hash, offset);
  return packed;
}
