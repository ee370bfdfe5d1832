/**
 * What a format adapter (rss-parser for XML, ours for JSON Feed) hands to normalisation: the feed's own
 * values, still raw (HTML not stripped, links maybe relative, dates as written). One shape for all formats,
 * so link resolution, text cleaning, dates and identity are written once.
 */
export type FeedFormat = 'rss' | 'rdf' | 'atom' | 'json';

/** A text construct: HTML unless the feed says it is plain text (Atom type="text", JSON content_text). */
export interface RawText {
  value: string;
  type: 'html' | 'text';
}

export interface RawEntry {
  guid?: string;
  title?: RawText;
  link?: string;
  /** xml:base in effect for this entry, possibly relative to the feed's base. */
  base?: string;
  summary?: RawText;
  content?: RawText;
  author?: string;
  categories: string[];
  published?: string;
  updated?: string;
  lang?: string;
}

export interface RawFeed {
  format: FeedFormat;
  title?: RawText;
  link?: string;
  base?: string;
  lang?: string;
  ttl?: string;
  entries: RawEntry[];
}
