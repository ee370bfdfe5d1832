import { createHash } from 'node:crypto';
import type { Article } from '../articles/article.js';
import type { FeedConfig } from '../config/schema.js';
import { currentSlot } from '../schedule/slots.js';
import type { FeedState } from '../state/feed-state.js';

export const ALREADY_FETCHED = 'already fetched in this slot';

/**
 * Why a fetch job should not fetch now, or undefined when it may. Pure: the fetch worker reads the
 * feed's state and asks. A slot already claimed when the state was read is skipped here, before the
 * job takes a turn at its host's gate; a claim taken since is caught when the worker claims the slot.
 */
export function skipReason(feed: FeedConfig | undefined, state: FeedState, now: number): string | undefined {
  if (!feed?.enabled) return 'feed removed or disabled';
  if (state.goneUrl === feed.url) return 'gone (410): change its url to enable it again';
  if (state.nextDue && now < state.nextDue) return 'not due (backoff or server hint)';
  if (state.claimedSlot !== undefined && state.claimedSlot >= fetchClaim(feed, now).slot) return ALREADY_FETCHED;
  return undefined;
}

/**
 * A fetch that begins this close before a slot starts counts for that slot: the worker reads its clock
 * before the request goes out, so the request arrives after the boundary, and the slot's own job
 * would otherwise fetch again a moment later.
 */
export const SLOT_EDGE_MS = 1_000;

/**
 * The slot a fetch beginning `now` serves, and how long its claim must live (to that slot's end). A
 * fetch serves the slot it happens in, not the one its job was queued for: after a first start or a
 * backlog, a late job of the previous slot runs inside the next one, and that slot's own job (queued
 * up to a scheduler tick after the slot began) must then not fetch again. A redelivered job finds its
 * own claim.
 */
export function fetchClaim(feed: Pick<FeedConfig, 'id' | 'interval'>, now: number): { slot: number; ttlMs: number } {
  const slot = currentSlot(feed.id, feed.interval, now + SLOT_EDGE_MS);
  return { slot, ttlMs: slot + feed.interval - now };
}

/** A short digest of a fetched body, kept with the feed's state. */
export function bodyDigest(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 22);
}

/**
 * Whether a 200's body is byte-identical to the last one read: then there is nothing to parse. Only
 * after a successful read (a failed one leaves no digest to trust).
 */
export function isUnchangedBody(state: Pick<FeedState, 'bodyDigest' | 'lastSuccess'>, digest: string): boolean {
  return state.lastSuccess !== undefined && state.bodyDigest === digest;
}

/**
 * When to poll next on a server's freshness hint (Cache-Control, Expires, RSS ttl): servers may ask
 * for slower polling, never faster than the feed's interval, and only up to a ceiling (the feed's
 * `max_interval`, else `feeds.max_interval`). Undefined: no hint worth following.
 */
export function hintedNextDue(
  feed: Pick<FeedConfig, 'interval' | 'max_interval'>,
  defaultMaxIntervalMs: number,
  now: number,
  freshForMs: number | undefined,
): number | undefined {
  return freshForMs && freshForMs > feed.interval ? now + Math.min(freshForMs, feed.max_interval ?? defaultMaxIntervalMs) : undefined;
}

/** A read feed's own freshness: the longer of the HTTP hint and the feed's `ttl` (minutes). */
export function freshForMs(httpFreshForMs: number | undefined, ttlMinutes: number | undefined): number {
  return Math.max(httpFreshForMs ?? 0, ttlMinutes ? ttlMinutes * 60_000 : 0);
}

/** The entries whose id is among `unseenIds`, each id once (a feed may list an item twice). */
export function unseenEntries<E extends { id: string }>(entries: readonly E[], unseenIds: Iterable<string>): E[] {
  const unseen = new Set(unseenIds);
  return entries.filter((e) => unseen.delete(e.id));
}

/**
 * Which new articles to queue. The first successful fetch seeds history quietly: adding a feed must not
 * flood anyone, so only articles younger than `feeds.first_fetch_max_age` alert, and articles without a
 * date (which cannot show they are recent) count as history.
 */
export function articlesToQueue(
  fresh: readonly Article[],
  state: Pick<FeedState, 'lastSuccess'>,
  now: number,
  firstFetchMaxAgeMs: number,
): Article[] {
  const firstFetch = state.lastSuccess === undefined;
  const cutoff = firstFetch ? now - firstFetchMaxAgeMs : -Infinity;
  return fresh.filter((a) => !(firstFetch && a.undated) && Date.parse(a.published) >= cutoff);
}
