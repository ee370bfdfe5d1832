import { featureHash64 } from './feature-hash.js';

/** How many lookup keys an article gets and how strict each is; the default is chosen in bench/stories.ts. */
export interface BandShape {
  /** Bands over the head shingles (title and first lead words): finds teasers cut from a longer report. */
  headBands: number;
  /** Bands over all shingles: finds copies with an edited headline or lede. */
  bands: number;
  /** Minimums per band: two keep same-topic reports, which share single words, from sharing keys. */
  rows: number;
}

export const STORY_BAND_SHAPE: BandShape = { headBands: 16, bands: 32, rows: 2 };

/**
 * Lookup keys for an article: MinHash LSH bands of its head shingles (`h3.<hex>`) and of all its shingles
 * (`b3.<hex>`). Two sets with Jaccard similarity J share a given band with probability J^rows, so at least
 * one of n bands with probability 1 - (1 - J^rows)^n: with 32 bands of 2 rows about 0.99 at J = 0.4, 0.73 at
 * J = 0.2 and 0.03 at J = 0.03 (unrelated reports). A teaser's full set is small against the report's, so
 * their Jaccard is low; their heads are nearly the same, which the head bands catch.
 */
export function storyBandKeys(shingles: readonly string[], headShingles: readonly string[], shape: BandShape = STORY_BAND_SHAPE): string[] {
  return [...minhashBandKeys('h', headShingles, shape.headBands, shape.rows), ...minhashBandKeys('b', shingles, shape.bands, shape.rows)];
}

/**
 * For each band, the smallest value of `rows` hash functions over the shingles, as `<label><band>.<hex>`.
 * The i-th hash is `hi + i * lo` of the shingle's 64-bit hash (Kirsch-Mitzenmacher), so each shingle is
 * hashed once. No shingles, no keys.
 */
function minhashBandKeys(label: string, shingles: readonly string[], bands: number, rows: number): string[] {
  if (shingles.length === 0) return [];
  const minimums = new Uint32Array(bands * rows).fill(0xffffffff);
  for (const shingle of shingles) {
    const [hi, lo] = featureHash64(shingle);
    for (let i = 0; i < minimums.length; i++) {
      const value = (hi + Math.imul(i, lo)) >>> 0;
      if (value < minimums[i]!) minimums[i] = value;
    }
  }
  const keys: string[] = [];
  for (let band = 0; band < bands; band++) {
    let key = `${label}${band}.`;
    for (let row = 0; row < rows; row++) key += minimums[band * rows + row]!.toString(16).padStart(8, '0');
    keys.push(key);
  }
  return keys;
}
