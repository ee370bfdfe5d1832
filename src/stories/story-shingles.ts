import type { Article } from '../articles/article.js';
import { storyTokens } from './story-tokens.js';

export type StoryText = Pick<Article, 'title' | 'summary' | 'content'>;

/** Words of the lead that count, after stop words: about the first 90 words of running text. */
export const LEAD_TOKENS = 60;
/** Words of the lead in the head: what a teaser cut after two lines still shares with the full report. */
export const HEAD_TOKENS = 20;
/** Enough characters to hold LEAD_TOKENS words, so a 10,000-word body is never tokenised whole. */
const LEAD_CHARS = LEAD_TOKENS * 14;

export interface StoryShingles {
  /** Distinct words and adjacent word pairs of the title and the lead, sorted. */
  shingles: string[];
  /** The same for the title and the first HEAD_TOKENS words of the lead. */
  headShingles: string[];
}

/**
 * What identifies a story's text: the distinct words and adjacent word pairs of the title and of the lead.
 * Pairs make same-topic reports (which share "north korean", "kursk", "troops") less alike than copies of
 * one report, which share phrases. The lead comes from the full content when there is any, else from the
 * summary (often the same lede, sometimes cut short).
 */
export function storyShingles(article: StoryText): StoryShingles {
  const { shingles, head } = markedStoryShingles(article);
  return { shingles, headShingles: shingles.filter((_, i) => head[i] === 1) };
}

/**
 * The shingles of `storyShingles` in one sorted list, each marked 1 in `head` when it is also a head
 * shingle: what `storyKey` needs, without building and sorting the head set apart.
 */
export function markedStoryShingles(article: StoryText): { shingles: string[]; head: Uint8Array } {
  const title = storyTokens(article.title);
  const leadSource = article.content.trim() ? article.content : article.summary;
  const lead = storyTokens(leadSource.slice(0, LEAD_CHARS));
  const leadLength = Math.min(lead.length, LEAD_TOKENS);
  const isHead = new Map<string, boolean>();
  const add = (shingle: string, head: boolean) => {
    if (head) isHead.set(shingle, true);
    else if (!isHead.has(shingle)) isHead.set(shingle, false);
  };
  title.forEach((word, i) => {
    add(word, true);
    if (i + 1 < title.length) add(`${word} ${title[i + 1]}`, true);
  });
  for (let i = 0; i < leadLength; i++) {
    add(lead[i]!, i < HEAD_TOKENS);
    // A pair is in the head when both its words are.
    if (i + 1 < leadLength) add(`${lead[i]} ${lead[i + 1]}`, i + 1 < HEAD_TOKENS);
  }
  const shingles = [...isHead.keys()].sort();
  const head = new Uint8Array(shingles.length);
  shingles.forEach((shingle, i) => {
    if (isHead.get(shingle)) head[i] = 1;
  });
  return { shingles, head };
}

/**
 * Share of the smaller shingle set found in the other (overlap coefficient, 0-1). The smaller set decides
 * so a teaser cut after 30 words still matches the full report it was cut from.
 */
export function shingleOverlap(a: readonly string[], b: readonly string[]): number {
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  if (small.length === 0) return 0;
  const inLarge = new Set(large);
  let shared = 0;
  for (const shingle of small) if (inLarge.has(shingle)) shared++;
  return shared / small.length;
}
