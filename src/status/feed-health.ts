import type { FeedConfig } from '../config/schema.js';
import { currentSlot } from '../schedule/slots.js';
import type { FeedState } from '../state/feed-state.js';

export type FeedHealth = 'ok' | 'failing' | 'never-fetched' | 'disabled' | 'gone';

/** A feed's health as the daemon recorded it; field names are a contract for scripts, times are ISO 8601 or null. */
export interface FeedHealthRecord {
  id: string;
  url: string;
  enabled: boolean;
  tags: string[];
  intervalMs: number;
  health: FeedHealth;
  consecutiveFailures: number;
  lastAttempt: string | null;
  lastSuccess: string | null;
  lastStatus: number | null;
  lastError: string | null;
  itemsSeen: number;
  /** When the feed will be fetched next: its schedule slot, or later while it backs off; null if never. */
  nextDue: string | null;
}

function feedHealth(feed: FeedConfig, state: FeedState): FeedHealth {
  if (!feed.enabled) return 'disabled';
  // The fetch worker skips a feed whose url answered 410 until the url in feeds.yaml changes.
  if (state.goneUrl !== undefined && state.goneUrl === feed.url) return 'gone';
  if (state.consecutiveFailures > 0) return 'failing';
  if (state.lastAttempt === undefined) return 'never-fetched';
  return 'ok';
}

/**
 * The scheduler queues a feed once per slot, and the fetch worker skips slots until a backoff's
 * `nextDue`: the next fetch is this slot if it has not been tried in it yet, else the next slot, and
 * never before `nextDue`.
 */
function nextDueAt(feed: FeedConfig, state: FeedState, now: number): number {
  const slot = currentSlot(feed.id, feed.interval, now);
  const bySchedule = state.lastAttempt !== undefined && state.lastAttempt >= slot ? slot + feed.interval : slot;
  return Math.max(bySchedule, state.nextDue ?? 0);
}

export function feedHealthRecord(feed: FeedConfig, state: FeedState, now: number): FeedHealthRecord {
  const health = feedHealth(feed, state);
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    id: feed.id,
    url: feed.url,
    enabled: feed.enabled,
    tags: feed.tags,
    intervalMs: feed.interval,
    health,
    consecutiveFailures: state.consecutiveFailures,
    lastAttempt: iso(state.lastAttempt),
    lastSuccess: iso(state.lastSuccess),
    lastStatus: state.lastStatus ?? null,
    lastError: state.lastError ?? null,
    itemsSeen: state.itemsSeen,
    nextDue: health === 'disabled' || health === 'gone' ? null : iso(nextDueAt(feed, state, now)),
  };
}

/** How many feeds are in each health state, every state present (0 when none). */
export function countFeedHealth(records: readonly FeedHealthRecord[]): Record<FeedHealth, number> {
  const counts: Record<FeedHealth, number> = { ok: 0, failing: 0, 'never-fetched': 0, disabled: 0, gone: 0 };
  for (const r of records) counts[r.health]++;
  return counts;
}
