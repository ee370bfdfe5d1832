import { DelayedError, Worker, type Job, type Queue } from 'bullmq';
import type { FeedConfig } from '../config/schema.js';
import { FetchError } from '../feeds/fetch/fetch-error.js';
import { hostKey } from '../net/host-key.js';
import { FeedParseError, readFeed } from '../feeds/parse/index.js';
import type { PipelineContext } from '../pipeline/context.js';
import { queueNotice } from '../pipeline/notice-deliveries.js';
import { addJobs } from '../queues/job-batcher.js';
import { matchJobs, QUEUE_NAMES, type FetchJob } from '../queues/queues.js';
import type { FetchOutcomeLabel } from '../metrics/metrics.js';
import { HostLine } from '../schedule/host-line.js';
import {
  ALREADY_FETCHED,
  articlesToQueue,
  bodyDigest,
  fetchClaim,
  freshForMs,
  hintedNextDue,
  isUnchangedBody,
  skipReason,
  unseenEntries,
} from '../feeds/poll-policy.js';
import { feedFailureNotice, feedGoneNotice, feedRecoveryNotice } from '../alerts/notices.js';
import type { FeedState } from '../state/feed-state.js';

export interface FetchOutcome {
  status: 'skipped' | 'not-modified' | 'fetched' | 'failed';
  newArticles?: number;
  reason?: string;
  /** After a failure: the feed's failures in a row so far. */
  consecutiveFailures?: number;
}

/**
 * One fetch: conditional GET, parse, keep only articles not seen before, queue them, then mark them
 * seen. A feed failure is recorded on the feed (with backoff) and never fails the job: the next slot
 * is the retry. A busy host delays the job (to its turn in the host's line) instead of holding a
 * worker slot.
 */
export async function processFetch(job: Job<FetchJob>, ctx: PipelineContext, token?: string, line = new HostLine()): Promise<FetchOutcome> {
  const feed = ctx.config().feedById.get(job.data.feedId);
  const state = await ctx.state.feeds.get(job.data.feedId);
  const skip = skipReason(feed, state, Date.now());
  if (skip || !feed) return { status: 'skipped', reason: skip };

  const host = hostKey(feed.url);
  const turn = host ? await ctx.hostGate.tryAcquire(host) : undefined;
  if (turn && !turn.granted && token) {
    // A job delayed before (by an earlier turn away) already has its place in the host's line.
    await job.moveToDelayed(line.retryAt(host!, turn.waitMs, ctx.config().settings.feeds.per_host_gap, Number(job.delay) > 0), token);
    throw new DelayedError();
  }
  try {
    // After the host's turn, so a job sent back to the line does not hold the slot meanwhile.
    if (!(await ctx.state.feeds.claimSlot(feed.id, fetchClaim(feed, Date.now())))) return { status: 'skipped', reason: ALREADY_FETCHED };
    return await fetchFeed(job, feed, state, ctx);
  } finally {
    if (turn?.granted) await turn.release();
  }
}

async function fetchFeed(job: Job<FetchJob>, feed: FeedConfig, state: FeedState, ctx: PipelineContext): Promise<FetchOutcome> {
  const { settings } = ctx.config();
  const log = ctx.log.child({ feedId: feed.id, jobId: job.id });
  const now = Date.now();
  const nextDue = (freshFor: number | undefined) => hintedNextDue(feed, settings.feeds.max_interval, now, freshFor);
  try {
    const result = await ctx.fetcher.fetch(feed.url, state);
    if (result.notModified) {
      await ctx.state.feeds.recordSuccess(feed.id, {
        status: 304,
        etag: result.etag,
        lastModified: result.lastModified,
        newItems: 0,
        nextDue: nextDue(result.freshForMs),
        attemptedAt: now,
      });
      await noticeRecovery(ctx, feed, state);
      log.debug('not modified');
      return { status: 'not-modified' };
    }
    if (result.movedTo) log.warn({ movedTo: result.movedTo }, `feed moved permanently: update its url in feeds.yaml to ${result.movedTo}`);
    const digest = bodyDigest(result.body);
    if (isUnchangedBody(state, digest)) {
      // The same bytes as last time from a server without (working) validators: nothing new to read.
      await ctx.state.feeds.recordSuccess(feed.id, {
        status: result.status,
        etag: result.etag,
        lastModified: result.lastModified,
        newItems: 0,
        nextDue: nextDue(result.freshForMs),
        attemptedAt: now,
        bodyDigest: digest,
      });
      // The items are still listed: their seen list must live as long as if they had been read again.
      await ctx.state.seen.touch(feed.id);
      await noticeRecovery(ctx, feed, state);
      log.debug('body unchanged');
      return { status: 'not-modified', reason: 'body unchanged' };
    }
    const parsed = await readFeed(result.body, {
      feedId: feed.id,
      url: result.finalUrl,
      contentType: result.contentType,
      fetchedAt: new Date(),
      maxBytes: settings.feeds.max_bytes,
    });
    const ids = [...new Set(parsed.entries.map((e) => e.id))];
    // Only new items are normalised (HTML to text, dates): usually one of a feed's 50.
    const fresh = unseenEntries(parsed.entries, await ctx.state.seen.unseen(feed.id, ids)).map((e) => e.article());
    const toQueue = articlesToQueue(fresh, state, now, settings.feeds.first_fetch_max_age);
    // One job for the fetch's new articles (a batch), not one per article: see `ArticleBatchJob`.
    await addJobs(ctx.queues.articles as Queue, matchJobs(toQueue));
    // Every id still in the feed, not only the new ones: the feed's list keeps what it still shows.
    await ctx.state.seen.markSeen(feed.id, ids);
    await ctx.state.feeds.recordSuccess(feed.id, {
      status: result.status,
      etag: result.etag,
      lastModified: result.lastModified,
      newItems: toQueue.length,
      nextDue: nextDue(freshForMs(result.freshForMs, parsed.ttlMinutes)),
      attemptedAt: now,
      bodyDigest: digest,
    });
    await noticeRecovery(ctx, feed, state);
    log.info({ items: parsed.entries.length, new: fresh.length, queued: toQueue.length }, 'fetched');
    return { status: 'fetched', newArticles: toQueue.length };
  } catch (err) {
    if (!(err instanceof FetchError || err instanceof FeedParseError)) throw err;
    return recordFailure(ctx, feed, err, log, now);
  }
}

async function recordFailure(
  ctx: PipelineContext,
  feed: FeedConfig,
  err: FetchError | FeedParseError,
  log: PipelineContext['log'],
  attemptedAt: number,
): Promise<FetchOutcome> {
  const timestamp = new Date().toISOString();
  if (err instanceof FetchError && err.kind === 'gone') {
    await ctx.state.feeds.markGone(feed.id, feed.url, err.message, attemptedAt);
    log.error(`feed disabled: ${err.message}. Change its url in feeds.yaml (or remove it) to poll again.`);
    await queueNotice(ctx, feedGoneNotice(feed, err.message, timestamp));
    return { status: 'failed', reason: err.message };
  }
  const failure = await ctx.state.feeds.recordFailure(feed.id, {
    error: err.message,
    status: err instanceof FetchError ? err.status : undefined,
    retryAfterMs: err instanceof FetchError ? err.retryAfterMs : undefined,
    intervalMs: feed.interval,
    attemptedAt,
  });
  log.warn(
    { failures: failure.failures, nextTry: new Date(failure.nextDue).toISOString() },
    `feed failed: ${err.message}; retrying with backoff (check it with "newswatch fetch ${feed.id}")`,
  );
  const notice = feedFailureNotice(feed, failure.failures, err.message, ctx.config().settings.health.feed_failures, timestamp);
  if (notice) await queueNotice(ctx, notice);
  return { status: 'failed', reason: err.message, consecutiveFailures: failure.failures };
}

async function noticeRecovery(ctx: PipelineContext, feed: FeedConfig, before: FeedState): Promise<void> {
  const notice = feedRecoveryNotice(feed, before.consecutiveFailures, ctx.config().settings.health.feed_failures, new Date().toISOString());
  if (notice) await queueNotice(ctx, notice);
}

const fetchOutcomeLabel: Record<FetchOutcome['status'], FetchOutcomeLabel> = {
  fetched: 'fetched',
  'not-modified': 'not_modified',
  failed: 'failed',
  skipped: 'skipped',
};

export function createFetchWorker(ctx: PipelineContext): Worker<FetchJob, FetchOutcome> {
  const line = new HostLine();
  return new Worker<FetchJob, FetchOutcome>(
    QUEUE_NAMES.fetch,
    async (job, token) => {
      const outcome = await processFetch(job, ctx, token, line);
      ctx.metrics.feedFetched(job.data.feedId, fetchOutcomeLabel[outcome.status], outcome.consecutiveFailures);
      if (outcome.newArticles) ctx.metrics.articlesQueued(job.data.feedId, outcome.newArticles);
      return outcome;
    },
    ctx.workerOptions(ctx.config().settings.concurrency.fetch),
  );
}
