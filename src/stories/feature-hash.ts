/**
 * 64 bits per feature as two 32-bit lanes, so MinHash needs no BigInt on its hot path. Two multiply-xor
 * lanes over UTF-16 code units with a cross-mixing finish (the cyrb53 construction, keeping all 64 bits);
 * each output bit is close to a fair coin, which is all MinHash and the shingle hashes ask of it.
 */
export function featureHash64(feature: string): [hi: number, lo: number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < feature.length; i++) {
    const c = feature.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}
