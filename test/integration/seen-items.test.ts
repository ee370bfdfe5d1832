import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stateKeys } from '../../src/state/keys.js';
import { SEEN_MIN_IDS, SeenItems, seenListCap } from '../../src/state/seen-items.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

const DAY_MS = 86_400_000;
const setup = () => {
  const keys = stateKeys(`test-${randomUUID()}`);
  return { keys, seen: new SeenItems(redis, keys, 30 * DAY_MS) };
};
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `item-${from + i}`);

describe('SeenItems: one bounded list per feed', () => {
  it('knows what a feed showed, per feed, and answers in the order asked', async () => {
    const { seen } = setup();
    expect(await seen.unseen('a', ['x', 'y'])).toEqual(['x', 'y']);
    await seen.markSeen('a', ['x', 'y']);
    expect(await seen.unseen('a', ['z', 'y', 'x', 'w'])).toEqual(['z', 'w']);
    expect(await seen.unseen('b', ['x'])).toEqual(['x']);
  });

  it('never forgets an item while its feed still lists it, and forgets the ones gone for long', async () => {
    const { seen, keys } = setup();
    const stays = 'pinned-item';
    // A 20-item feed where one item stays on top while 600 others pass through, 10 new per fetch.
    for (let start = 0; start < 600; start += 10) {
      const listing = [stays, ...ids(Math.max(0, start - 9), start + 10)];
      const fresh = await seen.unseen('wire', listing);
      expect(fresh).toEqual(start === 0 ? listing : ids(start, start + 10));
      await seen.markSeen('wire', listing);
    }
    expect(await seen.unseen('wire', [stays])).toEqual([]);
    // Items dropped from the listing lately are still known; the list holds its cap and no more.
    expect(await seen.unseen('wire', ids(520, 600))).toEqual([]);
    const bytes = (await redis.getBuffer(keys.seenList('wire')))!.length;
    expect(bytes).toBe(8 * seenListCap(20));
    expect(await seen.unseen('wire', ['item-0', 'item-1'])).toEqual(['item-0', 'item-1']);
  });

  it('keeps at least SEEN_MIN_IDS for small feeds and a multiple of the listing for big ones', () => {
    expect(seenListCap(5)).toBe(SEEN_MIN_IDS);
    expect(seenListCap(1_000)).toBeGreaterThanOrEqual(2_000);
  });

  it('expires a feed list seen_ttl after the feed was last fetched', async () => {
    const { seen, keys } = setup();
    await seen.markSeen('wire', ['x']);
    const ttl = await redis.pttl(keys.seenList('wire'));
    expect(ttl).toBeGreaterThan(29 * DAY_MS);
    expect(ttl).toBeLessThanOrEqual(30 * DAY_MS);
  });
});
