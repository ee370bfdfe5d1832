import type { Fact } from '../facts/extract-facts.js';
import type { Article } from '../articles/article.js';
import type { RuleMatch } from '../rules/rule-set.js';

/**
 * The domain alert: what a rule match on an article becomes, and what every message, template and
 * payload reads. The alerts queue carries it as is; the queue modules import it, never the other way.
 */

/** What an alert keeps of its article: the fields templates and payloads read (no text: `match.snippet` quotes it). */
export type AlertArticle = Pick<
  Article,
  'id' | 'feedId' | 'feedTitle' | 'title' | 'link' | 'published' | 'undated' | 'fetchedAt' | 'author' | 'categories' | 'lang'
>;

export function alertArticle(article: Article): AlertArticle {
  const { id, feedId, feedTitle, title, link, published, undated, fetchedAt, author, categories, lang } = article;
  return {
    id,
    feedId,
    feedTitle,
    title,
    link,
    published,
    ...(undated ? { undated } : {}),
    fetchedAt,
    author,
    categories,
    ...(lang ? { lang } : {}),
  };
}

/** The story an alert's article belongs to (near-duplicates from other feeds join it). */
export interface StoryRef {
  id: string;
  /** Distinct sources (feeds) that carried the story so far, including this article's. */
  sources: number;
  /** Links of the other articles of the story, first first. */
  links: string[];
}

export interface AlertJob {
  alertId: string;
  /** `alert.follow_up`: one update when a story reaches the rule's follow_up number of sources. */
  event: 'alert.matched' | 'alert.follow_up';
  rule: { id: string; name: string; severity: string; labels: Record<string, string> };
  channels: string[];
  article: AlertArticle;
  match: RuleMatch;
  matchedAt: string;
  story?: StoryRef;
  /** Figures and places near the matched words (absent in alerts queued before facts existed). */
  facts?: Fact[];
  /** A follow-up's facts that the story's first alert did not have. */
  newFacts?: Fact[];
}
