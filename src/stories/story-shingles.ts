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
  const title = storyTokens(article.title);
  const leadSource = article.content.trim() ? article.content : article.summary;
  const lead = storyTokens(leadSource.slice(0, LEAD_CHARS)).slice(0, LEAD_TOKENS);
  return { shingles: shinglesOf(title, lead), headShingles: shinglesOf(title, lead.slice(0, HEAD_TOKENS)) };
}

function shinglesOf(...runs: string[][]): string[] {
  const shingles = new Set<string>();
  for (const words of runs) {
    words.forEach((word, i) => {
      shingles.add(word);
      const next = words[i + 1];
      if (next !== undefined) shingles.add(`${word} ${next}`);
    });
  }
  return [...shingles].sort();
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
