import type { Redis } from 'ioredis';
import { backoffDelay } from '../retry/backoff.js';
import type { StateKeys } from './keys.js';
import { withScripts } from './redis-scripts.js';

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
  /** Digest of the last body read (a 200): an identical body is not parsed again. */
  bodyDigest?: string;
  /** The slot the feed was last claimed for (see `claimSlot`), while that claim lives. */
  claimedSlot?: number;
}

const NUMBER_FIELDS = new Set(['lastSuccess', 'lastAttempt', 'lastStatus', 'consecutiveFailures', 'itemsSeen', 'nextDue']);

export class FeedStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  /** The feed's hash and its slot claim, in one round trip. */
  async get(feedId: string): Promise<FeedState> {
    const [[hashErr, raw], [claimErr, claim]] = (await this.redis
      .pipeline()
      .hgetall(this.keys.feed(feedId))
      .get(this.keys.feedClaim(feedId))
      .exec())! as [[Error | null, Record<string, string>], [Error | null, string | null]];
    if (hashErr ?? claimErr) throw hashErr ?? claimErr;
    const state: Record<string, string | number> = { consecutiveFailures: 0, itemsSeen: 0 };
    for (const [k, v] of Object.entries(raw)) state[k] = NUMBER_FIELDS.has(k) ? Number(v) : v;
    if (claim !== null) state.claimedSlot = Number(claim);
    return state as unknown as FeedState;
  }

  /**
   * Claims a fetch slot for the feed (see `fetchClaim`): true for the first fetch of that slot, false
   * when another job (late, concurrent or redelivered) already fetched it or a later one. Atomic across
   * processes; the claimed slot is compared, so a claim that outlived its slot does not block the next.
   */
  async claimSlot(feedId: string, claim: { slot: number; ttlMs: number }): Promise<boolean> {
    return (await withScripts(this.redis).claimSlot(this.keys.feedClaim(feedId), claim.slot, claim.ttlMs)) === 1;
  }

  /** The slot each feed was last claimed for, where that claim has not lapsed yet. */
  async claimedSlots(feedIds: string[]): Promise<Map<string, number>> {
    const claimed = new Map<string, number>();
    const chunks: string[][] = [];
    for (let i = 0; i < feedIds.length; i += 1_000) chunks.push(feedIds.slice(i, i + 1_000));
    // All at once, not one round trip after another: a restart with 100,000 feeds waits for this.
    const answers = await Promise.all(chunks.map((ids) => this.redis.mget(ids.map((id) => this.keys.feedClaim(id)))));
    chunks.forEach((ids, c) => ids.forEach((id, k) => answers[c]![k] != null && claimed.set(id, Number(answers[c]![k]))));
    return claimed;
  }

  /**
   * `attemptedAt` is when the request started (default now): the fetch worker's slot check compares it
   * with slot starts, and a fetch that began in one slot must not count for the next.
   */
  async recordSuccess(
    feedId: string,
    update: {
      status: number;
      etag?: string;
      lastModified?: string;
      newItems: number;
      nextDue?: number;
      attemptedAt?: number;
      bodyDigest?: string;
    },
  ): Promise<void> {
    const key = this.keys.feed(feedId);
    const now = Date.now();
    const fields: Record<string, string | number> = {
      lastSuccess: now,
      lastAttempt: update.attemptedAt ?? now,
      lastStatus: update.status,
      consecutiveFailures: 0,
    };
    if (update.etag) fields.etag = update.etag;
    if (update.lastModified) fields.lastModified = update.lastModified;
    if (update.nextDue) fields.nextDue = update.nextDue;
    if (update.bodyDigest) fields.bodyDigest = update.bodyDigest;
    const multi = this.redis
      .multi()
      .hset(key, fields)
      .hdel(key, 'lastError', 'goneUrl', ...(update.nextDue ? [] : ['nextDue']));
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
    failure: { error: string; status?: number; retryAfterMs?: number; intervalMs: number; attemptedAt?: number },
  ): Promise<{ failures: number; nextDue: number }> {
    const key = this.keys.feed(feedId);
    const now = Date.now();
    const failures = await this.redis.hincrby(key, 'consecutiveFailures', 1);
    const delay = Math.max(backoffDelay(failures, failure.intervalMs, MAX_FEED_BACKOFF_MS), failure.retryAfterMs ?? 0);
    const nextDue = now + delay;
    await this.redis.hset(key, {
      lastError: failure.error,
      lastAttempt: failure.attemptedAt ?? now,
      nextDue,
      ...(failure.status ? { lastStatus: failure.status } : {}),
    });
    return { failures, nextDue };
  }

  async markGone(feedId: string, url: string, error: string, attemptedAt = Date.now()): Promise<void> {
    await this.redis.hset(this.keys.feed(feedId), { goneUrl: url, lastError: error, lastStatus: 410, lastAttempt: attemptedAt });
  }
}
