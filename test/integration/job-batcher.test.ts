import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { JobBatcher } from '../../src/queues/job-batcher.js';

describe('JobBatcher', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  /** A real queue whose add and addBulk calls are counted (and still go to Redis). */
  function countedQueue() {
    const redis = new Redis(inject('redisUrl'));
    const queue = new Queue('jobs', { connection: redis, prefix: `test-${randomUUID()}` });
    cleanup.push(async () => (await queue.close(), redis.disconnect()));
    const calls = { add: 0, addBulk: 0 };
    const add = queue.add.bind(queue);
    const addBulk = queue.addBulk.bind(queue);
    queue.add = (...args) => (calls.add++, add(...args));
    queue.addBulk = (...args) => (calls.addBulk++, addBulk(...args));
    return { queue, calls };
  }

  it('adds the jobs of one turn in one addBulk, with their ids and options, and a lone job by add', async () => {
    const { queue, calls } = countedQueue();
    const batcher = new JobBatcher(queue);
    await Promise.all(['j1', 'j2', 'j3'].map((id) => batcher.add('n', { id }, { jobId: id, attempts: 3 })));
    expect(calls).toEqual({ add: 0, addBulk: 1 });
    await batcher.add('n', { id: 'j4' }, { jobId: 'j4' });
    expect(calls).toEqual({ add: 1, addBulk: 1 });
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((j) => [j.id, j.data, j.opts.attempts]).sort()).toEqual([
      ['j1', { id: 'j1' }, 3],
      ['j2', { id: 'j2' }, 3],
      ['j3', { id: 'j3' }, 3],
      ['j4', { id: 'j4' }, 0],
    ]);
  });

  it('fails every job of a turn whose write failed, and the next turn writes again', async () => {
    const { queue } = countedQueue();
    const batcher = new JobBatcher(queue);
    const addBulk = queue.addBulk.bind(queue);
    queue.addBulk = async () => {
      throw new Error('injected: Redis went away');
    };
    const results = await Promise.allSettled(['j1', 'j2'].map((id) => batcher.add('n', {}, { jobId: id })));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    queue.addBulk = addBulk;
    await Promise.all(['j1', 'j2'].map((id) => batcher.add('n', {}, { jobId: id })));
    expect((await queue.getJobs(['waiting'])).map((j) => j.id).sort()).toEqual(['j1', 'j2']);
  });
});
