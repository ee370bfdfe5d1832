/**
 * The one normalised article every stage after parsing sees, whatever the feed format.
 * Text fields are plain text (HTML stripped, entities decoded) so rules match what a reader sees.
 */
export interface Article {
  /** Stable identity: derived from guid, else normalised link, else a hash of title and content. */
  id: string;
  feedId: string;
  /** The feed's own title, for showing where an article came from. */
  feedTitle?: string;
  title: string;
  link: string;
  summary: string;
  content: string;
  author: string;
  categories: string[];
  /** ISO 8601; the first-seen time when the feed gives no usable date (then `undated` is true). */
  published: string;
  /** Set when the feed gave no usable date, so `published` is only when newswatch first saw it. */
  undated?: true;
  fetchedAt: string;
  /** BCP 47 language tag when the feed or item declares one. */
  lang?: string;
  /** Original HTML of summary/content, kept for templates only (never matched). */
  html?: { summary?: string; content?: string };
}
