import { basename } from 'node:path';
import type { Settings } from '../config/schema.js';
import { createDispatcher } from '../net/dispatcher.js';
import type { Article } from '../articles/article.js';
import { DEFAULT_USER_AGENT, FeedFetcher, type FetchResult } from './fetch/feed-fetcher.js';
import { parseFeed, type ParsedFeed } from './parse/index.js';

/** A fetcher configured from settings; the daemon and the one-shot commands share it. */
export function fetcherFromSettings(settings: Settings): FeedFetcher {
  return new FeedFetcher({
    timeoutMs: settings.feeds.timeout,
    maxBytes: settings.feeds.max_bytes,
    maxRedirects: settings.feeds.max_redirects,
    userAgent: settings.feeds.user_agent ?? DEFAULT_USER_AGENT,
    dispatcher: createDispatcher({ denyPrivate: settings.network.deny_private }),
    allowLocalFiles: !settings.network.deny_private,
  });
}

/** A feed id for a URL or path given on the command line rather than in feeds.yaml. */
export function adHocFeedId(urlOrPath: string): string {
  try {
    return new URL(urlOrPath).hostname || basename(urlOrPath);
  } catch {
    return basename(urlOrPath).replace(/[^A-Za-z0-9_.-]/g, '-');
  }
}

export interface FetchedFeed {
  fetched: Extract<FetchResult, { notModified: false }>;
  feed: ParsedFeed;
}

/** Fetches and parses one feed without any state, for the one-shot commands; undefined on a 304. */
export async function fetchFeedOnce(
  fetcher: FeedFetcher,
  urlOrPath: string,
  feedId: string,
  maxBytes?: number,
): Promise<FetchedFeed | undefined> {
  const fetched = await fetcher.fetch(urlOrPath);
  if (fetched.notModified) return undefined;
  const feed = await parseFeed(fetched.body, {
    feedId,
    url: fetched.finalUrl,
    contentType: fetched.contentType,
    fetchedAt: new Date(),
    maxBytes,
  });
  return { fetched, feed };
}

/** The articles of one feed fetched once: for dry-run and test-rule. */
export async function fetchArticlesOnce(fetcher: FeedFetcher, urlOrPath: string, feedId = adHocFeedId(urlOrPath)): Promise<Article[]> {
  return (await fetchFeedOnce(fetcher, urlOrPath, feedId))?.feed.articles ?? [];
}
