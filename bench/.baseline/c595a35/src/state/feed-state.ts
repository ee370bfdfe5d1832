import type { Redis } from 'ioredis';
import { backoffDelay } from '../schedule/backoff.js';
import type { StateKeys } from './keys.js';

const MAX_FEED_BACKOFF_MS = 24 * 3_600_000;

/** What newswatch remembers about a feed between fetches (one Redis hash per feed). */
export interface FeedState {
  etag?: string;
  lastModified?: string;
  /** Epoch ms of the last successful fetch; absent until the first one, which seeds history quietly. */
  lastSuccess?: number;
  lastAttempt?: number;
  lastError?: string;
  lastStatus?: number;
  consecutiveFailures: number;
  itemsSeen: number;
  /** Epoch ms before which the feed is not fetched again (backoff, Retry-After, freshness hints). */
  nextDue?: number;
  /** The url that answered 410 Gone: the feed stays disabled until its url changes. */
  goneUrl?: string;
}

const NUMBER_FIELDS = new Set(['lastSuccess', 'lastAttempt', 'lastStatus', 'consecutiveFailures', 'itemsSeen', 'nextDue']);

export class FeedStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  async get(feedId: string): Promise<FeedState> {
    const raw = await this.redis.hgetall(this.keys.feed(feedId));
    const state: Record<string, string | number> = { consecutiveFailures: 0, itemsSeen: 0 };
    for (const [k, v] of Object.entries(raw)) state[k] = NUMBER_FIELDS.has(k) ? Number(v) : v;
    return state as unknown as FeedState;
  }

  async recordSuccess(feedId: string, update: { status: number; etag?: string; lastModified?: string; newItems: number; nextDue?: number }): Promise<void> {
    const key = this.keys.feed(feedId);
    const now = Date.now();
    const fields: Record<string, string | number> = { lastSuccess: now, lastAttempt: now, lastStatus: update.status, consecutiveFailures: 0 };
    if (update.etag) fields.etag = update.etag;
    if (update.lastModified) fields.lastModified = update.lastModified;
    if (update.nextDue) fields.nextDue = update.nextDue;
    const multi = this.redis.multi().hset(key, fields).hdel(key, 'lastError', 'goneUrl', ...(update.nextDue ? [] : ['nextDue']));
    if (update.status !== 304) {
      // A 200 without validators must not leave stale ones behind, or the server's next 200 looks like a 304.
      if (!update.etag) multi.hdel(key, 'etag');
      if (!update.lastModified) multi.hdel(key, 'lastModified');
    }
    if (update.newItems > 0) multi.hincrby(key, 'itemsSeen', update.newItems);
    await multi.exec();
  }

  /**
   * Records a failure and when to try again: exponential backoff from the feed's interval up to a day,
   * or later if the server asked for it. Returns the new failure count and the next due time.
   */
  async recordFailure(
    feedId: string,
    failure: { error: string; status?: number; retryAfterMs?: number; intervalMs: number },
  ): Promise<{ failures: number; nextDue: number }> {
    const key = this.keys.feed(feedId);
    const now = Date.now();
    const failures = await this.redis.hincrby(key, 'consecutiveFailures', 1);
    const delay = Math.max(backoffDelay(failures, failure.intervalMs, MAX_FEED_BACKOFF_MS), failure.retryAfterMs ?? 0);
    const nextDue = now + delay;
    await this.redis.hset(key, { lastError: failure.error, lastAttempt: now, nextDue, ...(failure.status ? { lastStatus: failure.status } : {}) });
    return { failures, nextDue };
  }

  async markGone(feedId: string, url: string, error: string): Promise<void> {
    await this.redis.hset(this.keys.feed(feedId), { goneUrl: url, lastError: error, lastStatus: 410, lastAttempt: Date.now() });
  }
}
