import { basename } from 'node:path';
import type { Settings } from '../config/schema.js';
import { createDispatcher } from '../net/dispatcher.js';
import type { Article } from './article.js';
import { DEFAULT_USER_AGENT, FeedFetcher } from './fetch/feed-fetcher.js';
import { parseFeed } from './parse/index.js';

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

/** Fetches and parses one feed without any state: for dry-run, test-rule and fetch. */
export async function fetchArticlesOnce(fetcher: FeedFetcher, urlOrPath: string, feedId = adHocFeedId(urlOrPath)): Promise<Article[]> {
  const result = await fetcher.fetch(urlOrPath);
  if (result.notModified) return [];
  const parsed = await parseFeed(result.body, { feedId, url: result.finalUrl, contentType: result.contentType, fetchedAt: new Date() });
  return parsed.articles;
}
