import type { Article } from '../feeds/article.js';
import { featureHash64 } from './feature-hash.js';
import { storyTokens } from './story-tokens.js';

/** Words of the lead that count, after stop words: about the first 60 words of running text. */
export const LEAD_TOKENS = 40;
/** Enough characters to hold LEAD_TOKENS words, so a 10,000-word body is never tokenised whole. */
const LEAD_CHARS = LEAD_TOKENS * 14;
/** Title words weigh more than lead words: the title is what every copy keeps. */
const TITLE_WEIGHT = 2;

const FINGERPRINT = /^[0-9a-f]{16}$/;

export type StoryText = Pick<Article, 'title' | 'summary' | 'content'>;

/**
 * The weighted features of an article: title words, lead words and lead word pairs. The lead is taken from
 * the full content when there is any, else from the summary (often the same lede, cut shorter).
 */
export function storyFeatures(article: StoryText): Map<string, number> {
  const features = new Map<string, number>();
  const add = (feature: string, weight: number) => features.set(feature, (features.get(feature) ?? 0) + weight);
  for (const token of storyTokens(article.title)) add(token, TITLE_WEIGHT);
  const leadSource = article.content.trim() ? article.content : article.summary;
  const lead = storyTokens(leadSource.slice(0, LEAD_CHARS)).slice(0, LEAD_TOKENS);
  lead.forEach((token, i) => {
    add(token, 1);
    const next = lead[i + 1];
    if (next !== undefined) add(`${token} ${next}`, 1);
  });
  return features;
}

/**
 * 64-bit SimHash of title and lead as 16 lowercase hex digits. Copies of one report differ in few bits;
 * unrelated articles in about 32. An article with no words at all gets `0000000000000000`.
 */
export function storyFingerprint(article: StoryText): string {
  const weights = new Float64Array(64);
  for (const [feature, weight] of storyFeatures(article)) {
    const [hi, lo] = featureHash64(feature);
    for (let bit = 0; bit < 32; bit++) {
      weights[bit] += (hi >>> bit) & 1 ? weight : -weight;
      weights[bit + 32] += (lo >>> bit) & 1 ? weight : -weight;
    }
  }
  let hi = 0;
  let lo = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (weights[bit]! > 0) hi |= 1 << bit;
    if (weights[bit + 32]! > 0) lo |= 1 << bit;
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
