import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ChannelHealth } from '../../src/state/channel-health.js';
import { stateKeys } from '../../src/state/keys.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

describe('ChannelHealth', () => {
  it('reports a lasting failure once, and its recovery once, clearing the failure record', async () => {
    const health = new ChannelHealth(redis, stateKeys(`test-${randomUUID()}`));
    expect(await health.recordSuccess('hook')).toBe(false);
    const t0 = 1_000_000;
    expect(await health.recordFailure('hook', 'HTTP 500', 60_000, t0)).toBe(false);
    expect(await health.recordFailure('hook', 'HTTP 502', 60_000, t0 + 60_000)).toBe(true);
    expect(await health.recordFailure('hook', 'HTTP 502', 60_000, t0 + 90_000)).toBe(false);
    expect(await health.get('hook')).toMatchObject({ failingSince: t0, lastError: 'HTTP 502', unhealthy: true });
    expect(await health.recordSuccess('hook')).toBe(true);
    expect(await health.get('hook')).toMatchObject({ failingSince: undefined, lastError: undefined, unhealthy: false });
    expect(await health.recordSuccess('hook')).toBe(false);
    // A failure after the recovery starts a new failing period.
    expect(await health.recordFailure('hook', 'HTTP 500', 60_000, t0 + 200_000)).toBe(false);
  });
});
