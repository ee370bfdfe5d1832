import { describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../src/config/schema.js';
import {
  ALREADY_FETCHED,
  articlesToQueue,
  bodyDigest,
  fetchClaim,
  freshForMs,
  hintedNextDue,
  isUnchangedBody,
  SLOT_EDGE_MS,
  skipReason,
  unseenEntries,
} from '../../../src/feeds/poll-policy.js';
import { currentSlot } from '../../../src/schedule/slots.js';
import type { FeedState } from '../../../src/state/feed-state.js';
import { article } from '../rules/article-fixture.js';

const INTERVAL = 60_000;
const feed: FeedConfig = { id: 'wire', url: 'http://example.test/feed.xml', interval: INTERVAL, tags: [], enabled: true };
const fresh: FeedState = { consecutiveFailures: 0, itemsSeen: 0 };
const SLOT = currentSlot(feed.id, INTERVAL, 1_800_000_000_000);

describe('poll policy: whether a fetch job fetches', () => {
  it('fetches an enabled feed that is due', () => {
    expect(skipReason(feed, fresh, SLOT + 500)).toBeUndefined();
  });

  it('skips removed, disabled and gone feeds', () => {
    expect(skipReason(undefined, fresh, SLOT)).toMatch(/removed or disabled/);
    expect(skipReason({ ...feed, enabled: false }, fresh, SLOT)).toMatch(/removed or disabled/);
    expect(skipReason(feed, { ...fresh, goneUrl: feed.url }, SLOT)).toMatch(/gone/);
    // A new url enables it again.
    expect(skipReason(feed, { ...fresh, goneUrl: 'http://example.test/old.xml' }, SLOT)).toBeUndefined();
  });

  it('skips a slot already claimed, before its job takes a turn at the host', () => {
    expect(skipReason(feed, { ...fresh, claimedSlot: SLOT }, SLOT + 500)).toBe(ALREADY_FETCHED);
    // The claim of the previous slot does not cover this one.
    expect(skipReason(feed, { ...fresh, claimedSlot: SLOT - INTERVAL }, SLOT + 500)).toBeUndefined();
    // A claim taken just before the slot began (see SLOT_EDGE_MS) covers it.
    expect(skipReason(feed, { ...fresh, claimedSlot: SLOT + INTERVAL }, SLOT + INTERVAL - SLOT_EDGE_MS)).toBe(ALREADY_FETCHED);
  });

  it('waits for backoff and server hints', () => {
    expect(skipReason(feed, { ...fresh, nextDue: SLOT + 1_000 }, SLOT + 999)).toMatch(/not due/);
    expect(skipReason(feed, { ...fresh, nextDue: SLOT + 1_000 }, SLOT + 1_000)).toBeUndefined();
  });
});

describe('poll policy: which slot a fetch serves', () => {
  it('claims the slot the fetch happens in, until that slot ends', () => {
    expect(fetchClaim(feed, SLOT)).toEqual({ slot: SLOT, ttlMs: INTERVAL });
    expect(fetchClaim(feed, SLOT + 20_000)).toEqual({ slot: SLOT, ttlMs: INTERVAL - 20_000 });
  });

  it('gives a late job of the previous slot, running just inside this one, this slot', () => {
    // The slot's own job is queued up to a tick later and must find the claim taken.
    expect(fetchClaim(feed, SLOT + INTERVAL + 200)).toEqual({ slot: SLOT + INTERVAL, ttlMs: INTERVAL - 200 });
  });

  it('gives a fetch beginning just before a slot starts that slot, whose request arrives inside it', () => {
    expect(fetchClaim(feed, SLOT + INTERVAL - SLOT_EDGE_MS)).toEqual({ slot: SLOT + INTERVAL, ttlMs: INTERVAL + SLOT_EDGE_MS });
    expect(fetchClaim(feed, SLOT + INTERVAL - SLOT_EDGE_MS - 1).slot).toBe(SLOT);
  });

  it('always claims for a positive time, at most one interval and the edge', () => {
    for (let now = SLOT - 5_000; now < SLOT + 2 * INTERVAL; now += 997) {
      const { ttlMs } = fetchClaim(feed, now);
      expect(ttlMs).toBeGreaterThan(0);
      expect(ttlMs).toBeLessThanOrEqual(INTERVAL + SLOT_EDGE_MS);
    }
  });
});

describe('poll policy: a body read before', () => {
  const body = Buffer.from('<rss><channel><item><guid>a</guid></item></channel></rss>');
  it('is unchanged only when byte-identical to the last body read successfully', () => {
    const digest = bodyDigest(body);
    expect(isUnchangedBody({ bodyDigest: digest, lastSuccess: 1 }, bodyDigest(Buffer.from(body)))).toBe(true);
    expect(isUnchangedBody({ bodyDigest: digest, lastSuccess: 1 }, bodyDigest(Buffer.concat([body, Buffer.from(' ')])))).toBe(false);
    expect(isUnchangedBody({ bodyDigest: digest }, digest)).toBe(false);
    expect(isUnchangedBody({ lastSuccess: 1 }, digest)).toBe(false);
  });
});

describe('poll policy: server freshness hints', () => {
  const HOUR = 3_600_000;
  it('follows a hint that asks for slower polling, up to the feed ceiling, else the default one', () => {
    expect(hintedNextDue(feed, HOUR, SLOT, 10 * INTERVAL)).toBe(SLOT + 10 * INTERVAL);
    expect(hintedNextDue(feed, HOUR, SLOT, 5 * HOUR)).toBe(SLOT + HOUR);
    expect(hintedNextDue({ ...feed, max_interval: 2 * HOUR }, HOUR, SLOT, 5 * HOUR)).toBe(SLOT + 2 * HOUR);
  });

  it('never polls faster than the feed interval on a hint, and ignores no hint', () => {
    expect(hintedNextDue(feed, HOUR, SLOT, INTERVAL)).toBeUndefined();
    expect(hintedNextDue(feed, HOUR, SLOT, 1_000)).toBeUndefined();
    expect(hintedNextDue(feed, HOUR, SLOT, undefined)).toBeUndefined();
    expect(hintedNextDue(feed, HOUR, SLOT, 0)).toBeUndefined();
  });

  it('takes the longer of the HTTP hint and the feed ttl', () => {
    expect(freshForMs(120_000, 5)).toBe(300_000);
    expect(freshForMs(900_000, 5)).toBe(900_000);
    expect(freshForMs(undefined, undefined)).toBe(0);
  });
});

describe('poll policy: which articles a read queues', () => {
  it('keeps the unseen entries, each once, in feed order', () => {
    const entries = [{ id: 'a' }, { id: 'b' }, { id: 'a' }, { id: 'c' }];
    expect(unseenEntries(entries, ['c', 'a'])).toEqual([{ id: 'a' }, { id: 'c' }]);
    expect(unseenEntries(entries, [])).toEqual([]);
  });

  const now = Date.parse('2026-11-29T12:00:00Z');
  const DAY = 86_400_000;
  const recent = article({ id: 'recent', published: new Date(now - 60_000).toISOString() });
  const old = article({ id: 'old', published: new Date(now - 2 * DAY).toISOString() });
  const undated = article({ id: 'undated', published: new Date(now).toISOString(), undated: true });

  it('seeds history quietly on the first successful fetch: only recent, dated articles alert', () => {
    expect(articlesToQueue([recent, old, undated], {}, now, DAY).map((a) => a.id)).toEqual(['recent']);
  });

  it('queues every new article after the first successful fetch, however old or undated', () => {
    expect(articlesToQueue([recent, old, undated], { lastSuccess: now - DAY }, now, DAY).map((a) => a.id)).toEqual([
      'recent',
      'old',
      'undated',
    ]);
  });
});
