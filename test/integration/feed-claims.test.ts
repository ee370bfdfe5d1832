import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { FeedStateStore } from '../../src/state/feed-state.js';
import { stateKeys } from '../../src/state/keys.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

const INTERVAL = 60_000;
const SLOT = 1_800_000_000_000;

describe('FeedStateStore: fetch slot claims', () => {
  it('claims each slot once, never an earlier one, and is not blocked by a claim that outlived its slot', async () => {
    const feeds = new FeedStateStore(redis, stateKeys(`test-${randomUUID()}`));
    // The TTL a worker computed before a slow round trip: the claim lives on into the next slot.
    expect(await feeds.claimSlot('wire', { slot: SLOT, ttlMs: 2 * INTERVAL })).toBe(true);
    expect(await feeds.claimSlot('wire', { slot: SLOT, ttlMs: INTERVAL })).toBe(false);
    expect((await feeds.get('wire')).claimedSlot).toBe(SLOT);
    expect(await feeds.claimSlot('wire', { slot: SLOT + INTERVAL, ttlMs: INTERVAL })).toBe(true);
    // A late job of the earlier slot, running now: the later claim stands.
    expect(await feeds.claimSlot('wire', { slot: SLOT, ttlMs: INTERVAL })).toBe(false);
    expect((await feeds.claimedSlots(['wire', 'other'])).get('wire')).toBe(SLOT + INTERVAL);
  });

  it('lets a claim lapse with its TTL', async () => {
    const keys = stateKeys(`test-${randomUUID()}`);
    const feeds = new FeedStateStore(redis, keys);
    expect(await feeds.claimSlot('wire', { slot: SLOT, ttlMs: 5_000 })).toBe(true);
    const ttl = await redis.pttl(keys.feedClaim('wire'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
    expect((await feeds.get('other')).claimedSlot).toBeUndefined();
  });
});
