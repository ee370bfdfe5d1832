import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeQueues, createQueues, type DeliveryJob, type Queues } from '../../src/queues/queues.js';
import { writeConfigDir } from '../support/config-dir.js';
import { cli as runCli } from '../support/cli-process.js';
import { waitFor } from '../support/wait.js';

/** The real CLI without REDIS_URL: the Redis it reaches is the one --config names. */
const cli = (args: string[]) => runCli(args, { REDIS_URL: undefined });

const delivery = (n: number): DeliveryJob => ({
  message: {
    kind: 'notice',
    notice: {
      type: 'feed.gone',
      title: `t${n}`,
      text: '',
      timestamp: new Date().toISOString(),
      subject: { kind: 'feed', id: 'wire' },
      details: {},
    },
  },
  channelId: 'hook',
  deliveryId: `alert-nk-a${n}-to-hook`,
});

// Every test starts the CLI in a child process (tsx): slow on a loaded two-core machine.
describe('newswatch alerts replay and newswatch jobs, as documented', { timeout: 180_000 }, () => {
  const prefix = `test-${randomUUID()}`;
  const redis = new Redis(inject('redisUrl'));
  let queues: Queues;
  let dir: string;

  /** Fails jobs for real: a worker that takes them and throws. */
  async function failAll(name: 'deliveries' | 'articles', count: number) {
    const worker = new Worker(
      name,
      async () => {
        throw new UnrecoverableError('receiver answered 500');
      },
      { connection: new Redis(inject('redisUrl'), { maxRetriesPerRequest: null }), prefix },
    );
    await waitFor(`${count} failed ${name} jobs`, async () => (await queues[name].getFailedCount()) === count, 60_000);
    await worker.close();
  }

  beforeAll(async () => {
    dir = writeConfigDir({
      'settings.yaml': `redis: { url: "${inject('redisUrl')}", prefix: ${prefix} }\n`,
      'feeds.yaml': 'feeds: []\n',
      'channels.yaml': 'channels:\n  - id: hook\n    type: webhook\n    url: http://127.0.0.1:1/hook\n',
    });
    queues = createQueues(redis, prefix);
    await queues.deliveries.add('notice', delivery(1), { jobId: delivery(1).deliveryId });
    await queues.articles.add('article', { article: { id: 'a9', feedId: 'wire' } } as never, { jobId: 'article-a9' });
    await failAll('deliveries', 1);
    await failAll('articles', 1);
  }, 120_000);
  afterAll(async () => {
    await closeQueues(queues);
    redis.disconnect();
  });

  it('newswatch jobs --config DIR lists failed jobs with their reasons', async () => {
    const { code, out } = await cli(['jobs', '--config', dir]);
    expect(code).toBe(0);
    expect(out).toContain('articles  article-a9  (1 attempt(s)): receiver answered 500');
    expect(out).toContain('deliveries  alert-nk-a1-to-hook');
    expect(out).toContain('2 failed job(s) in articles, alerts, deliveries, digests');
  });

  it('newswatch jobs retry --queue Q --config DIR re-runs only that queue', async () => {
    const { code, out } = await cli(['jobs', 'retry', '--queue', 'articles', '--config', dir]);
    expect({ code, out }).toEqual({ code: 0, out: 'retrying articles article-a9\n1 failed job(s) of articles queued again\n' });
    expect(await queues.articles.getJobState('article-a9')).toBe('waiting');
    expect(await queues.deliveries.getFailedCount()).toBe(1);
  });

  it('newswatch alerts replay --failed --config DIR replays failed deliveries from the Redis --config names', async () => {
    const { code, out } = await cli(['alerts', 'replay', '--failed', '--config', dir]);
    expect({ code, out }).toEqual({ code: 0, out: 'replaying alert-nk-a1-to-hook to hook\n' });
    expect(await queues.deliveries.getJobState('alert-nk-a1-to-hook')).toBe('waiting');
  });

  it('newswatch alerts replay ID --config DIR finds the alert in the Redis --config names', async () => {
    const { code, out } = await cli(['alerts', 'replay', 'alert-nk-a1', '--config', dir]);
    expect({ code, out }).toEqual({ code: 0, out: 'replaying alert-nk-a1-to-hook to hook\n' });
  });

  it('says when there is no failed delivery to replay (exit 1)', async () => {
    expect(await cli(['alerts', '--config', dir, 'replay', '--failed'])).toMatchObject({
      code: 1,
      out: expect.stringContaining('no failed deliveries'),
    });
  });

  it('says when there is no failed job to retry (exit 1)', async () => {
    expect(await cli(['jobs', 'retry', '--config', dir])).toMatchObject({
      code: 1,
      out: 'no failed jobs in articles, alerts, deliveries, digests\n',
    });
  });

  it('asks for an id or --failed, and names the queues it knows (exit 2)', async () => {
    expect(await cli(['alerts', 'replay', '--config', dir])).toMatchObject({
      code: 2,
      err: 'newswatch alerts replay: give an alert id or --failed\n',
    });
    expect(await cli(['jobs', 'retry', '--queue', 'article', '--config', dir])).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown queue "article"'),
    });
  });
});
