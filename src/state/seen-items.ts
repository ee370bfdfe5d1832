import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StateKeys } from './keys.js';
import { withScripts, type ScriptedRedis } from './redis-scripts.js';

/** Bytes an article id is remembered by: 64 bits of its SHA-256, so a collision within one feed's list is negligible. */
const SEEN_ID_BYTES = 8;
/** A feed's list keeps this many times its current listing, so an item that drops out and comes back is still known. */
const SEEN_LISTING_MULTIPLE = 3;
/** ... and at least this many ids, for small feeds that rotate fast. */
export const SEEN_MIN_IDS = 100;

/** How many ids a feed's seen list keeps for a listing of `listed` items. */
export function seenListCap(listed: number): number {
  return Math.max(SEEN_MIN_IDS, SEEN_LISTING_MULTIPLE * listed);
}

function seenId(articleId: string): Buffer {
  // One-shot hash: no Hash object per id (every id of a listing is hashed on each fetch).
  return hash('sha256', articleId, 'buffer').subarray(0, SEEN_ID_BYTES);
}

/**
 * Which articles a feed has already shown, per feed: one string of 8-byte ids, the current listing
 * first, capped at a multiple of the listing (`seenListCap`), expiring `ttlMs` after the feed's last
 * fetch. An item is forgotten only once it has been out of its feed for a while; if it comes back after
 * that, the alert ledger still keeps a rule from alerting on it twice. The same article in two feeds is
 * taken in once per feed; the ledger and the story store make it one alert.
 */
export class SeenItems {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: StateKeys,
    private readonly ttlMs: number,
  ) {
    this.redis = withScripts(redis);
  }

  /** The ids among `ids` this feed has not shown before, in the same order. */
  async unseen(feedId: string, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const stored = await this.redis.getBuffer(this.keys.seenList(feedId));
    if (!stored) return ids;
    const known = new Set<string>();
    for (let i = 0; i + SEEN_ID_BYTES <= stored.length; i += SEEN_ID_BYTES) known.add(stored.toString('hex', i, i + SEEN_ID_BYTES));
    return ids.filter((id) => !known.has(seenId(id).toString('hex')));
  }

  /** The feed was read again and shows the same items (an unchanged body): keep its list as long. */
  async touch(feedId: string): Promise<void> {
    await this.redis.pexpire(this.keys.seenList(feedId), this.ttlMs);
  }

  /**
   * Records the feed's current listing (every id in it, not only new ones, in feed order). Call only
   * after its new articles are safely queued, so a crash loses nothing.
   */
  async markSeen(feedId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.seenMerge(this.keys.seenList(feedId), Buffer.concat(ids.map(seenId)), seenListCap(ids.length), this.ttlMs);
  }
}
