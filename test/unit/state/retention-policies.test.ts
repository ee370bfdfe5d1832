import { describe, expect, it } from 'vitest';
import { failedJobsToDrop } from '../../../src/queues/failed-retention.js';
import { planRetirement } from '../../../src/state/feed-retirement.js';
import { memoryLevel, redisMemoryProblem } from '../../../src/state/redis-memory.js';

const DAY = 86_400_000;
const NOW = 100 * DAY;

describe('failedJobsToDrop', () => {
  const policy = { maxAgeMs: 14 * DAY, maxCount: 3 };
  it('drops the oldest failed jobs past their age, and stops at the first younger one', () => {
    expect(failedJobsToDrop([NOW - 20 * DAY, NOW - 15 * DAY, NOW - DAY], 3, policy, NOW)).toBe(2);
    expect(failedJobsToDrop([NOW - DAY, NOW - 20 * DAY], 2, policy, NOW)).toBe(0);
  });
  it('drops the oldest beyond the count, whatever their age', () => {
    expect(failedJobsToDrop([NOW - 3, NOW - 2, NOW - 1, NOW], 5, policy, NOW)).toBe(2);
    expect(failedJobsToDrop([], 0, policy, NOW)).toBe(0);
  });
});

describe('planRetirement', () => {
  it('starts the grace period of a feed that left the config, and forgets it once the grace period is over', () => {
    const configured = new Set(['a']);
    expect(planRetirement(['a', 'b'], configured, {}, NOW, 7 * DAY)).toEqual({ markAbsent: ['b'], clearAbsent: [], forget: [] });
    expect(planRetirement(['a', 'b'], configured, { b: NOW - DAY }, NOW, 7 * DAY)).toEqual({ markAbsent: [], clearAbsent: [], forget: [] });
    expect(planRetirement(['a', 'b'], configured, { b: NOW - 7 * DAY }, NOW, 7 * DAY)).toEqual({
      markAbsent: [],
      clearAbsent: [],
      forget: ['b'],
    });
  });
  it('keeps the state of a feed put back in time, and drops marks of feeds whose state is already gone', () => {
    expect(planRetirement(['a', 'b'], new Set(['a', 'b']), { b: NOW - DAY }, NOW, 7 * DAY)).toEqual({
      markAbsent: [],
      clearAbsent: ['b'],
      forget: [],
    });
    expect(planRetirement(['a'], new Set(['a']), { c: NOW - DAY }, NOW, 7 * DAY)).toEqual({
      markAbsent: [],
      clearAbsent: ['c'],
      forget: [],
    });
  });
});

describe('memoryLevel', () => {
  it('warns at 80% of maxmemory and is degraded from 90%; no limit is never degraded', () => {
    expect(memoryLevel({ usedBytes: 79, maxBytes: 100 })).toBe('ok');
    expect(memoryLevel({ usedBytes: 80, maxBytes: 100 })).toBe('warning');
    expect(memoryLevel({ usedBytes: 90, maxBytes: 100 })).toBe('degraded');
    expect(memoryLevel({ usedBytes: 10 ** 12, maxBytes: 0 })).toBe('ok');
  });
  it('gives readiness a reason only when degraded', () => {
    expect(redisMemoryProblem({ usedBytes: 85, maxBytes: 100 })).toBeUndefined();
    expect(redisMemoryProblem(undefined)).toBeUndefined();
    expect(redisMemoryProblem({ usedBytes: 95 * 1_048_576, maxBytes: 100 * 1_048_576 })).toMatch(/95 MB of 100 MB \(95%\)/);
  });
});
