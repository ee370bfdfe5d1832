import { FeedParseError } from './errors.js';
import type { RawEntry, RawFeed, RawText } from './feed-document.js';

/**
 * JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1) into a RawFeed. rss-parser does not read JSON.
 * Lenient the way feed readers are: a field of the wrong type counts as absent instead of failing the feed,
 * and an unknown `version` is accepted when the document has an `items` array.
 */
export function parseJsonFeed(text: string, maxItems: number): RawFeed {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new FeedParseError('malformed-json', `malformed JSON: ${(error as Error).message}`, { cause: error });
  }
  const feed = asObject(document);
  if (!feed) throw new FeedParseError('not-a-feed', 'JSON body is not an object, so not a JSON Feed');
  const version = str(feed.version);
  const isJsonFeedVersion = version !== undefined && /^https?:\/\/jsonfeed\.org\/version\//i.test(version);
  if (!isJsonFeedVersion && !Array.isArray(feed.items)) {
    throw new FeedParseError('not-a-feed', 'JSON body is not a JSON Feed: no jsonfeed.org "version" and no "items" array');
  }
  const items = Array.isArray(feed.items) ? feed.items : [];
  if (items.length > maxItems) {
    throw new FeedParseError('too-many-items', `JSON Feed has ${items.length} items, more than the limit of ${maxItems}`);
  }
  const title = str(feed.title);
  return {
    format: 'json',
    title: title ? { value: title, type: 'text' } : undefined,
    link: str(feed.home_page_url),
    lang: str(feed.language),
    entries: items.flatMap((item) => {
      const entry = asObject(item);
      return entry ? [toRawEntry(entry)] : [];
    }),
  };
}

function toRawEntry(item: Record<string, unknown>): RawEntry {
  const title = str(item.title);
  const summary = str(item.summary);
  const id = item.id;
  return {
    // 1.0 allowed numeric ids in practice; they are ids all the same.
    guid: typeof id === 'number' && Number.isFinite(id) ? String(id) : str(id),
    title: title ? { value: title, type: 'text' } : undefined,
    link: str(item.url) ?? str(item.external_url),
    summary: summary ? { value: summary, type: 'text' } : undefined,
    content: content(item),
    author: authorName(item),
    categories: Array.isArray(item.tags) ? item.tags.filter((t): t is string => typeof t === 'string') : [],
    published: str(item.date_published),
    updated: str(item.date_modified),
    lang: str(item.language),
  };
}

function content(item: Record<string, unknown>): RawText | undefined {
  const html = str(item.content_html);
  if (html) return { value: html, type: 'html' };
  const text = str(item.content_text);
  return text ? { value: text, type: 'text' } : undefined;
}

/** 1.1 `authors` (array) or 1.0 `author` (object). */
function authorName(item: Record<string, unknown>): string | undefined {
  const authors = Array.isArray(item.authors) ? item.authors : [item.author];
  for (const author of authors) {
    const name = str(asObject(author)?.name);
    if (name) return name;
  }
  return undefined;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
