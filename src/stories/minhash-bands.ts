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

/** Shingles already hashed (`featureHash64`, one entry per shingle), and which of them are head shingles. */
export interface HashedShingles {
  hi: Uint32Array;
  lo: Uint32Array;
  head: Uint8Array;
}

/**
 * Lookup keys for an article: MinHash LSH bands of its head shingles (`h3.<hex>`) and of all its shingles
 * (`b3.<hex>`). Two sets with Jaccard similarity J share a given band with probability J^rows, so at least
 * one of n bands with probability 1 - (1 - J^rows)^n: with 32 bands of 2 rows about 0.99 at J = 0.4, 0.73 at
 * J = 0.2 and 0.03 at J = 0.03 (unrelated reports). A teaser's full set is small against the report's, so
 * their Jaccard is low; their heads are nearly the same, which the head bands catch.
 */
export function storyBandKeys(shingles: readonly string[], headShingles: readonly string[], shape: BandShape = STORY_BAND_SHAPE): string[] {
  const hashed = hashAll([...headShingles, ...shingles]);
  hashed.head.fill(1, 0, headShingles.length);
  return [
    ...minhashBandKeys('h', hashed, 0, headShingles.length, shape.headBands, shape.rows),
    ...minhashBandKeys('b', hashed, headShingles.length, hashed.hi.length, shape.bands, shape.rows),
  ];
}

/**
 * The same keys from shingles hashed once (`storyKey`): the head bands over the entries marked `head`, the
 * body bands over all of them.
 */
export function hashedBandKeys(hashed: HashedShingles, shape: BandShape = STORY_BAND_SHAPE): string[] {
  return [
    ...minhashBandKeys('h', hashed, 0, hashed.hi.length, shape.headBands, shape.rows, hashed.head),
    ...minhashBandKeys('b', hashed, 0, hashed.hi.length, shape.bands, shape.rows),
  ];
}

export function hashAll(shingles: readonly string[]): HashedShingles {
  const hi = new Uint32Array(shingles.length);
  const lo = new Uint32Array(shingles.length);
  shingles.forEach((shingle, i) => {
    [hi[i], lo[i]] = featureHash64(shingle);
  });
  return { hi, lo, head: new Uint8Array(shingles.length) };
}

/**
 * For each band, the smallest value of `rows` hash functions over the shingles from..to (those marked in
 * `only`, when given), as `<label><band>.<hex>`. The i-th hash is `hi + i * lo` of the shingle's 64-bit
 * hash (Kirsch-Mitzenmacher), so each shingle is hashed once. No shingles, no keys.
 */
function minhashBandKeys(
  label: string,
  { hi, lo }: HashedShingles,
  from: number,
  to: number,
  bands: number,
  rows: number,
  only?: Uint8Array,
): string[] {
  const size = bands * rows;
  // Unsigned 32-bit values kept as int32 with the top bit flipped, so the loop stays in small integers:
  // signed order of the flipped values is the unsigned order of the values.
  const minimums = new Int32Array(size).fill(0x7fffffff);
  let any = false;
  for (let s = from; s < to; s++) {
    if (only && only[s] === 0) continue;
    any = true;
    let value = hi[s]! | 0;
    const step = lo[s]! | 0;
    for (let i = 0; i < size; i++) {
      const flipped = value ^ -0x80000000;
      if (flipped < minimums[i]!) minimums[i] = flipped;
      // hi + i * lo, modulo 2^32.
      value = (value + step) | 0;
    }
  }
  if (!any) return [];
  const keys: string[] = [];
  for (let band = 0; band < bands; band++) {
    let key = `${label}${band}.`;
    for (let row = 0; row < rows; row++) key += ((minimums[band * rows + row]! ^ -0x80000000) >>> 0).toString(16).padStart(8, '0');
    keys.push(key);
  }
  return keys;
}
