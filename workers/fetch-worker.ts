import { Worker, type Job } from 'bullmq';
import type { Article } from '../src/feeds/article.js';
import { FetchError } from '../src/feeds/fetch/fetch-error.js';
import { FeedParseError, parseFeed } from '../src/feeds/parse/index.js';
import type { PipelineContext } from '../src/pipeline/context.js';
import { jobIds, QUEUE_NAMES, type FetchJob } from '../src/queues/queues.js';

export interface FetchOutcome {
  status: 'skipped' | 'not-modified' | 'fetched' | 'failed';
  newArticles?: number;
  reason?: string;
}

/**
 * One fetch: conditional GET, parse, keep only articles not seen before, queue them, then mark them
 * seen. A feed failure is recorded on the feed (with backoff) and never fails the job: the next slot
 * is the retry.
 */
export async function processFetch(job: Job<FetchJob>, ctx: PipelineContext): Promise<FetchOutcome> {
  const config = ctx.config();
  const feed = config.feeds.find((f) => f.id === job.data.feedId);
  if (!feed?.enabled) return { status: 'skipped', reason: 'feed removed or disabled' };
  const log = ctx.log.child({ feedId: feed.id, jobId: job.id });
  const state = await ctx.state.feeds.get(feed.id);
  if (state.nextDue && Date.now() < state.nextDue) return { status: 'skipped', reason: 'backing off' };

  let articles: Article[];
  try {
    const result = await ctx.fetcher.fetch(feed.url, state);
    if (result.notModified) {
      await ctx.state.feeds.recordSuccess(feed.id, { status: 304, etag: result.etag, lastModified: result.lastModified, newItems: 0 });
      log.debug('not modified');
      return { status: 'not-modified' };
    }
    if (result.movedTo) log.warn({ movedTo: result.movedTo }, `feed moved permanently: update its url in feeds.yaml to ${result.movedTo}`);
    const parsed = await parseFeed(result.body, {
      feedId: feed.id,
      url: result.finalUrl,
      contentType: result.contentType,
      fetchedAt: new Date(),
      maxBytes: config.settings.feeds.max_bytes,
    });
    articles = parsed.articles;
    const newIds = new Set(await ctx.state.seen.unseen(uniqueIds(articles)));
    const fresh = articles.filter((a) => newIds.has(a.id) && newIds.delete(a.id));
    // The first successful fetch seeds history quietly: adding a feed must not flood anyone.
    const cutoff = state.lastSuccess === undefined ? Date.now() - config.settings.feeds.first_fetch_max_age : -Infinity;
    const toQueue = fresh.filter((a) => Date.parse(a.published) >= cutoff);
    await ctx.queues.articles.addBulk(toQueue.map((article) => ({ name: 'article', data: { article }, opts: { jobId: jobIds.article(article.id) } })));
    await ctx.state.seen.markSeen(fresh.map((a) => a.id));
    await ctx.state.feeds.recordSuccess(feed.id, { status: result.status, etag: result.etag, lastModified: result.lastModified, newItems: toQueue.length });
    log.info({ items: articles.length, new: fresh.length, queued: toQueue.length }, 'fetched');
    return { status: 'fetched', newArticles: toQueue.length };
  } catch (err) {
    if (!(err instanceof FetchError || err instanceof FeedParseError)) throw err;
    const failure = await ctx.state.feeds.recordFailure(feed.id, {
      error: err.message,
      status: err instanceof FetchError ? err.status : undefined,
      retryAfterMs: err instanceof FetchError ? err.retryAfterMs : undefined,
      intervalMs: feed.interval,
    });
    log.warn(
      { failures: failure.failures, nextTry: new Date(failure.nextDue).toISOString() },
      `feed failed: ${err.message}; retrying with backoff (check the url with "newswatch fetch ${feed.id}")`,
    );
    return { status: 'failed', reason: err.message };
  }
}

function uniqueIds(articles: Article[]): string[] {
  return [...new Set(articles.map((a) => a.id))];
}

export function createFetchWorker(ctx: PipelineContext): Worker<FetchJob, FetchOutcome> {
  const settings = ctx.config().settings;
  return new Worker<FetchJob, FetchOutcome>(QUEUE_NAMES.fetch, (job) => processFetch(job, ctx), {
    connection: ctx.workerConnection(),
    prefix: ctx.prefix,
    concurrency: settings.concurrency.fetch,
  });
}
