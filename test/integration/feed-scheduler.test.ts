import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { FeedConfig } from '../../src/config/schema.js';
import { QUEUE_NAMES, type FetchJob } from '../../src/queues/queues.js';
import { currentSlot } from '../../src/schedule/slots.js';
import { FeedScheduler } from '../../src/schedule/feed-scheduler.js';
import { waitFor } from '../support/wait.js';

const INTERVAL = 60_000;
const feeds: FeedConfig[] = [{ id: 'wire', url: 'http://127.0.0.1:9/feed.xml', interval: INTERVAL, tags: [], enabled: true }];
const log = pino({ level: 'silent' });

/**
 * A moment from now on when none of the feeds' slots ends within `spanMs`: the tests tick inside one slot, and a
 * slot beginning in between would rightly queue its feed again.
 */
function momentWithoutSlotEdge(feedIds: string[], spanMs: number): number {
  let now = Date.now();
  while (feedIds.some((id) => currentSlot(id, INTERVAL, now) !== currentSlot(id, INTERVAL, now + spanMs))) now += 1_000;
  return now;
}

describe('feed scheduler: one fetch per feed and slot', () => {
  const open: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });

  function queue(prefix: string): Queue<FetchJob> {
    const q = new Queue<FetchJob>(QUEUE_NAMES.fetch, { connection: new Redis(inject('redisUrl')), prefix });
    open.push(q);
    return q;
  }

  it('adds a slot once across schedulers and restarts, keeps no completed job, and adds the next slot', async () => {
    const prefix = `test-${randomUUID()}`;
    const now = momentWithoutSlotEdge(['wire'], 1_000);
    const slot = currentSlot('wire', INTERVAL, now);
    const ran: number[] = [];
    const worker = new Worker<FetchJob>(QUEUE_NAMES.fetch, async (job) => void ran.push(job.data.slot), {
      connection: new Redis(inject('redisUrl'), { maxRetriesPerRequest: null }),
      prefix,
    });
    open.push(worker);

    expect(await new FeedScheduler(() => feeds, queue(prefix), log).tick(now)).toBe(1);
    await waitFor('the first job to run', () => ran.length === 1, 5_000);
    // A second scheduler (another process, or this one restarted) in the same slot, after the job completed.
    const other = queue(prefix);
    await new FeedScheduler(() => feeds, other, log).tick(now + 1_000);
    // Deduplication is a small key, not a kept job hash.
    expect(await other.getJobCounts('completed', 'waiting', 'active', 'delayed')).toEqual({
      completed: 0,
      waiting: 0,
      active: 0,
      delayed: 0,
    });

    // The next slot's job goes behind any duplicate of this one in the queue (first in, first out, one at a
    // time), so once it has run, a duplicate would have run before it: no wait needed to show there was none.
    // The tick is the one in the second after the next slot began (never before it).
    await new FeedScheduler(() => feeds, other, log).tick(slot + INTERVAL + 1_000);
    await waitFor('the next slot to run', () => ran.includes(slot + INTERVAL), 5_000);
    expect(ran).toEqual([slot, slot + INTERVAL]);
  });

  it('after a restart, leaves a feed already fetched in its current slot for its next slot', async () => {
    const prefix = `test-${randomUUID()}`;
    const now = Date.now();
    const slot = currentSlot('wire', INTERVAL, now);
    const q = queue(prefix);
    const restarted = new FeedScheduler(
      () => feeds,
      q,
      log,
      async (ids) => new Map(ids.map((id) => [id, slot])),
    );
    expect(await restarted.tick(now)).toBe(0);
    expect(await restarted.tick(slot + INTERVAL - 1)).toBe(0);
    expect(await restarted.tick(slot + INTERVAL + 1_000)).toBe(1);
    expect((await q.getJobs(['waiting'])).map((j) => j.data.slot)).toEqual([slot + INTERVAL]);
  });

  it('queues a first start at the pace of each host, and a large one in several calls', async () => {
    const prefix = `test-${randomUUID()}`;
    const q = queue(prefix);
    // Three feeds on one host, one on another, one second apart per host.
    const onHosts = ['a', 'a', 'b', 'a'].map(
      (host, i): FeedConfig => ({ id: `h${i}`, url: `http://${host}.test/${i}.xml`, interval: INTERVAL, tags: [], enabled: true }),
    );
    const now = momentWithoutSlotEdge(
      onHosts.map((f) => f.id),
      3_000,
    );
    const paced = new FeedScheduler(
      () => onHosts,
      q,
      log,
      undefined,
      () => 1_000,
    );
    expect(await paced.tick(now)).toBe(2);
    expect(await paced.tick(now + 1_000)).toBe(1);
    expect(await paced.tick(now + 2_000)).toBe(1);
    expect(await paced.tick(now + 3_000)).toBe(0);
    expect((await q.getJobs(['waiting'])).map((j) => j.data.feedId).sort()).toEqual(['h0', 'h1', 'h2', 'h3']);

    // More feeds than one addBulk call takes, with no gap: all queued in one tick, each once.
    const many = Array.from(
      { length: 2_500 },
      (_, i): FeedConfig => ({ id: `m${i}`, url: `http://site${i}.test/feed.xml`, interval: INTERVAL, tags: [], enabled: true }),
    );
    const manyQueue = queue(`test-${randomUUID()}`);
    expect(await new FeedScheduler(() => many, manyQueue, log).tick(now)).toBe(2_500);
    expect(await manyQueue.getWaitingCount()).toBe(2_500);
  });
});
