import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { notReadyReasons } from '../../src/daemon/readiness.js';
import { NewswatchMetrics } from '../../src/metrics/metrics.js';
import { dropExpiredFailedJobs } from '../../src/queues/failed-retention.js';
import { FeedRetirement } from '../../src/state/feed-retirement.js';
import { stateKeys } from '../../src/state/keys.js';
import { readRedisMemory, RedisMemoryWatch, type RedisMemory } from '../../src/state/redis-memory.js';
import { SeenItems } from '../../src/state/seen-items.js';
import { waitFor } from '../support/wait.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());
const DAY = 86_400_000;

function capturingLog() {
  const lines: Array<{ level: number; msg: string; [k: string]: unknown }> = [];
  return { lines, log: pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l)) }) };
}

describe('housekeeping against a real Redis', () => {
  it('drops failed jobs past their retention, oldest first, one log line each', async () => {
    const prefix = `test-${randomUUID()}`;
    const queue = new Queue('deliveries', { connection: redis, prefix });
    const worker = new Worker(
      'deliveries',
      async (job) => {
        throw new Error(`receiver said no to ${job.id}`);
      },
      { connection: new Redis(inject('redisUrl'), { maxRetriesPerRequest: null }), prefix },
    );
    try {
      for (const n of [1, 2, 3, 4, 5]) await queue.add('alert', { n }, { jobId: `job-${n}`, removeOnFail: false });
      await waitFor('five failed jobs', async () => (await queue.getFailedCount()) === 5);
      const { lines, log } = capturingLog();
      expect(await dropExpiredFailedJobs(queue, { maxAgeMs: 30 * DAY, maxCount: 2 }, log)).toBe(3);
      const kept = (await queue.getFailed()).map((j) => j.id).sort();
      const dropped = lines
        .filter((l) => l.msg.startsWith('failed job dropped'))
        .map((l) => l.jobId)
        .sort();
      expect(dropped).toEqual(['job-1', 'job-2', 'job-3']);
      expect(kept).toEqual(['job-4', 'job-5']);
      expect(
        lines.every(
          (l) =>
            !l.msg.startsWith('failed job dropped') || (l.queue === 'deliveries' && String(l.failedReason).startsWith('receiver said no')),
        ),
      ).toBe(true);
      // Past their age, the rest go too.
      expect(await dropExpiredFailedJobs(queue, { maxAgeMs: 30 * DAY, maxCount: 100 }, log, Date.now() + 31 * DAY)).toBe(2);
      expect(await queue.getFailedCount()).toBe(0);
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('removes the state of a feed gone from the config after the grace period, and keeps the others', async () => {
    const keys = stateKeys(`test-${randomUUID()}`);
    const seen = new SeenItems(redis, keys, 30 * DAY);
    for (const feed of ['kept', 'removed', 'back']) {
      await redis.hset(keys.feed(feed), 'lastSuccess', 1);
      await seen.markSeen(feed, [`${feed}-item`]);
    }
    const retirement = new FeedRetirement(redis, keys);
    const now = Date.now();
    await retirement.sweep(new Set(['kept']), 7 * DAY, now);
    await retirement.sweep(new Set(['kept', 'back']), 7 * DAY, now + DAY);
    const plan = await retirement.sweep(new Set(['kept']), 7 * DAY, now + 8 * DAY);
    expect(plan.forget).toEqual(['removed']);
    expect(await redis.exists(keys.feed('removed'), keys.seenList('removed'))).toBe(0);
    expect(await redis.exists(keys.feed('kept'), keys.seenList('kept'), keys.feed('back'), keys.seenList('back'))).toBe(4);
    // "back" left again at now + 8 days: its grace period starts over.
    expect(await redis.hget(keys.absentFeeds(), 'back')).toBe(String(now + 8 * DAY));
  });

  it('reads used_memory and maxmemory from INFO', async () => {
    const memory = await readRedisMemory(redis);
    expect(memory.usedBytes).toBeGreaterThan(100_000);
    expect(memory.maxBytes).toBeGreaterThanOrEqual(0);
  });

  it('logs once when Redis memory crosses 80% of maxmemory, an error at 90%, and once when it is back', async () => {
    const readings: RedisMemory[] = [50, 81, 85, 92, 93, 60, 70].map((used) => ({
      usedBytes: used * 1_048_576,
      maxBytes: 100 * 1_048_576,
    }));
    const { lines, log } = capturingLog();
    const watch = new RedisMemoryWatch(async () => readings.shift()!, log);
    for (let i = 0; i < 7; i++) await watch.check();
    expect(lines.map((l) => [l.level, l.msg.split(':')[0]])).toEqual([
      [40, 'Redis memory at 81 MB of 100 MB (81%)'],
      [50, 'Redis memory at 92 MB of 100 MB (92%)'],
      [30, 'Redis memory back to 60 MB of 100 MB (60%)'],
    ]);
    expect(watch.latest()).toEqual({ usedBytes: 70 * 1_048_576, maxBytes: 100 * 1_048_576 });
  });

  it('reports not ready near maxmemory, and exports the reading as newswatch_redis_used_memory_bytes', async () => {
    const probe = (usedBytes: number) => ({
      redis,
      redisError: () => undefined,
      workers: [],
      stopping: () => false,
      redisMemory: () => ({ usedBytes, maxBytes: 100 * 1_048_576 }),
    });
    expect(await notReadyReasons(probe(50 * 1_048_576))).toEqual([]);
    expect(await notReadyReasons(probe(95 * 1_048_576))).toEqual([expect.stringMatching(/^redis memory 95 MB of 100 MB/)]);
    const metrics = new NewswatchMetrics({ version: 'test' });
    metrics.redisMemory(await readRedisMemory(redis));
    metrics.failedJobsDropped('deliveries', 3);
    const text = await metrics.exposition();
    expect(text).toMatch(/^newswatch_redis_used_memory_bytes [1-9]\d+$/m);
    expect(text).toMatch(/^newswatch_failed_jobs_dropped_total\{queue="deliveries"\} 3$/m);
  });
});
