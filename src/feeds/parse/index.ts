import { languageFromScript } from './language.js';
import type { Article } from '../../articles/article.js';
import { articleId } from '../../articles/identity.js';
import { parseFeedDate } from './dates.js';
import { decodeBody } from './decode.js';
import { detectFormat, rejectBinary } from './detect.js';
import { FeedParseError } from './errors.js';
import type { FeedFormat, RawEntry, RawFeed, RawText } from './feed-document.js';
import { htmlToText, plainText } from './html-text.js';
import { parseJsonFeed } from './json-feed.js';
import { resolveBase, resolveLink } from './links.js';
import { parseXmlFeed } from './xml-feed.js';
import { truncate } from '../../text/truncate.js';

export { FeedParseError, type FeedParseErrorCode } from './errors.js';

export interface ParseOptions {
  feedId: string;
  /** The URL the body was fetched from (after redirects): the last base for relative links. */
  url: string;
  /** The HTTP Content-Type; its charset wins over the XML declaration. */
  contentType?: string;
  fetchedAt: Date;
  /** Bodies larger than this are rejected with `too-large`. Default 15 MiB, the fetcher's cap. */
  maxBytes?: number;
  /** Feeds with more items than this are rejected with `too-many-items`. Default 50,000. */
  maxItems?: number;
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string;
  link: string;
  /** RSS <ttl>: how long the publisher asks readers to cache the feed. */
  ttlMinutes?: number;
  /** The charset the body was decoded with, for diagnostics. */
  encoding: string;
  articles: Article[];
}

/** One item of a read feed: its id at once, the normalised article (text from HTML, dates...) on demand. */
interface FeedEntry {
  id: string;
  article(): Article;
}

/** A feed read but not normalised: a fetch that looks only for new items normalises only those. */
export interface ReadFeed extends Omit<ParsedFeed, 'articles'> {
  entries: FeedEntry[];
}

const DEFAULT_MAX_BYTES = 15 * 1024 * 1024;
const DEFAULT_MAX_ITEMS = 50_000;

/** Summaries made from content are cut here: enough for a snippet, not a second copy of the article. */
const SUMMARY_FROM_CONTENT_CHARS = 500;

/**
 * Turns a fetched body into a normalised feed. Pure: no I/O. Throws only FeedParseError.
 */
export async function parseFeed(body: Buffer, opts: ParseOptions): Promise<ParsedFeed> {
  const { entries, ...feed } = await readFeed(body, opts);
  return { ...feed, articles: entries.map((e) => e.article()) };
}

/**
 * Reads a fetched body into a feed whose items know their ids but are normalised only when asked:
 * of a 50-item feed polled again, usually one item is new. Pure: no I/O. Throws only FeedParseError.
 */
export async function readFeed(body: Buffer, opts: ParseOptions): Promise<ReadFeed> {
  try {
    return await readOrThrow(body, opts);
  } catch (error) {
    if (error instanceof FeedParseError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new FeedParseError('not-a-feed', `feed could not be parsed: ${message}`, { cause: error });
  }
}

async function readOrThrow(body: Buffer, opts: ParseOptions): Promise<ReadFeed> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxItems = opts.maxItems ?? DEFAULT_MAX_ITEMS;
  if (body.length === 0) throw new FeedParseError('empty', 'body is empty');
  if (body.length > maxBytes) {
    throw new FeedParseError('too-large', `body is ${body.length} bytes, more than the limit of ${maxBytes}`);
  }
  rejectBinary(body);
  const decoded = decodeBody(body, opts.contentType);
  const detected = detectFormat(decoded.text);
  let raw: RawFeed;
  if (detected.kind === 'json') {
    raw = parseJsonFeed(detected.text, maxItems);
  } else {
    // Counting tags is cheap; building a 50,000-item object graph first is not.
    const itemCount = countItemTags(detected.xml, maxItems);
    if (itemCount > maxItems) {
      throw new FeedParseError('too-many-items', `feed has more than ${maxItems} items`);
    }
    raw = await parseXmlFeed(detected);
    raw.base ??= detected.rootAttributes['xml:base'];
    raw.lang ??= detected.rootAttributes['xml:lang'];
  }
  return { ...normaliseFeed(raw, opts), encoding: decoded.encoding };
}

/** Counts <item> and <entry> start tags (any prefix), stopping once past the limit. */
function countItemTags(xml: string, limit: number): number {
  const pattern = /<(?:[\w-]+:)?(?:item|entry)[\s>/]/g;
  let count = 0;
  while (pattern.exec(xml) && count <= limit) count++;
  return count;
}

function normaliseFeed(raw: RawFeed, opts: ParseOptions): Omit<ReadFeed, 'encoding'> {
  const feedBase = resolveBase(raw.base, opts.url);
  const feedLink = resolveLink(raw.link, feedBase, opts.url);
  const fetchedAt = opts.fetchedAt.toISOString();
  const feedTitle = textOf(raw.title);
  const entries = raw.entries.map((entry): FeedEntry => {
    const entryBase = resolveBase(entry.base, feedBase, feedLink, opts.url);
    const context = {
      feedId: opts.feedId,
      feedTitle,
      bases: [entryBase, feedBase, feedLink, opts.url],
      lang: entry.lang ?? raw.lang,
      fetchedAt,
    };
    const link = resolveLink(entry.link, ...context.bases) ?? '';
    // The id needs the text only for items with neither guid nor link.
    const text = entry.guid?.trim() || link.trim() ? undefined : entryText(entry);
    const id = articleId({ feedId: opts.feedId, guid: entry.guid, link, title: text?.title, content: text?.content });
    return { id, article: () => normaliseEntry(entry, id, link, context) };
  });
  const ttl = raw.ttl ? Number.parseInt(raw.ttl.trim(), 10) : Number.NaN;
  return {
    format: raw.format,
    title: feedTitle,
    link: feedLink ?? '',
    ...(Number.isFinite(ttl) && ttl > 0 ? { ttlMinutes: ttl } : {}),
    entries,
  };
}

interface EntryContext {
  feedId: string;
  feedTitle: string;
  bases: Array<string | undefined>;
  lang: string | undefined;
  fetchedAt: string;
}

/** Title, summary and content as plain text; content falls back to the summary and the other way round. */
function entryText(entry: RawEntry): { title: string; summary: string; content: string } {
  const title = textOf(entry.title);
  const contentText = textOf(entry.content);
  const summaryText = textOf(entry.summary);
  const summary = summaryText || truncate(contentText, SUMMARY_FROM_CONTENT_CHARS, { atWord: true });
  return { title, summary, content: contentText || summaryText };
}

function normaliseEntry(entry: RawEntry, id: string, link: string, context: EntryContext): Article {
  const { title, summary, content } = entryText(entry);
  const published = parseFeedDate(entry.published) ?? parseFeedDate(entry.updated);
  const html = {
    ...(entry.summary?.type === 'html' ? { summary: entry.summary.value } : {}),
    ...(entry.content?.type === 'html' ? { content: entry.content.value } : {}),
  };
  const article: Article = {
    id,
    feedId: context.feedId,
    ...(context.feedTitle ? { feedTitle: context.feedTitle } : {}),
    title,
    link,
    summary,
    content,
    author: entry.author ? plainText(entry.author) : '',
    categories: [...new Set(entry.categories.map(plainText).filter(Boolean))],
    published: published?.toISOString() ?? context.fetchedAt,
    ...(published ? {} : { undated: true as const }),
    fetchedAt: context.fetchedAt,
  };
  const lang = context.lang?.trim() || languageFromScript(`${title} ${summary}`);
  if (lang) article.lang = lang;
  if (html.summary !== undefined || html.content !== undefined) article.html = html;
  return article;
}

function textOf(text: RawText | undefined): string {
  if (!text) return '';
  return text.type === 'html' ? htmlToText(text.value) : plainText(text.value);
}
