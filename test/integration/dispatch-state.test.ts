import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { jobArticles, type DeliveryJob } from '../../src/queues/queues.js';
import type { AlertJob } from '../../src/alerts/alert.js';
import type { RoutePlan } from '../../src/dispatch/route.js';
import { stateKeys } from '../../src/state/keys.js';
import { createDispatchWorkers, processFlush } from '../../src/workers/dispatch-worker.js';
import { processFetch } from '../../src/workers/fetch-worker.js';
import { FeedServer } from '../support/feed-server.js';
import { jobOf, testPipeline, type TestPipeline } from '../support/test-pipeline.js';

const now = new Date().toISOString();
const alert = (n: number): AlertJob => ({
  alertId: `alert-r-${n}`,
  event: 'alert.matched',
  rule: { id: 'r', name: 'R', severity: 'medium', labels: {} },
  channels: ['quiet'],
  article: {
    id: `a${n}`,
    feedId: 'wire',
    title: `Story ${n}`,
    link: `https://example.test/${n}`,
    author: '',
    categories: [],
    published: now,
    fetchedAt: now,
  },
  match: { ruleId: 'r', matched: ['x'], terms: [], snippet: '' },
  matchedAt: new Date(Date.now() + n).toISOString(),
});
/** A digest channel's plan: every alert is held for the digest. */
const HELD: RoutePlan = { route: { action: 'buffer', reason: 'digest' }, limits: [] };

describe('dispatch and fetch state after review fixes', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  const pipeline = (channels: string, feeds = 'feeds: []\n', settings = '') => {
    const p = testPipeline({ 'feeds.yaml': feeds, 'channels.yaml': channels }, settings);
    open.push(p);
    return p;
  };
  const digests = async (p: TestPipeline) =>
    (await p.ctx.queues.deliveries.getJobs(['waiting', 'delayed', 'prioritized'])).map((j) => j.data as DeliveryJob);

  it.each([
    ['concurrency: { match: 1, dispatch: 3 }\n', 3],
    ['concurrency: { match: 4 }\n', 4],
  ] as const)('runs the alert and digest workers at concurrency.dispatch (%j)', async (settings, expected) => {
    const p = pipeline('channels:\n  - id: c\n    type: console\n', 'feeds: []\n', settings);
    const connections: Redis[] = [];
    const workers = createDispatchWorkers({
      ...p.ctx,
      workerOptions: (concurrency) => {
        const options = p.ctx.workerOptions(concurrency);
        connections.push(options.connection as Redis);
        return { ...options, autorun: false };
      },
    });
    open.push({
      close: async () => {
        await Promise.all(workers.map((w) => w.close()));
        for (const c of connections) c.disconnect();
      },
    });
    expect(workers.map((w) => w.concurrency)).toEqual([expected, expected]);
  });

  it('refreshes the seen TTL of items that stay in a feed, so they never come back as new', async () => {
    const server = new FeedServer();
    server.setItems([{ guid: 'long-lived', title: 'Stays for weeks', description: 'x' }]);
    const url = await server.start();
    open.push({ close: () => server.stop() });
    const p = pipeline('channels:\n  - id: c\n    type: console\n', `feeds:\n  - id: wire\n    url: ${url}\n`);
    await processFetch(jobOf({ feedId: 'wire', slot: 0 }), p.ctx);
    const [articleId] = (await p.ctx.queues.articles.getJobs(['waiting'])).flatMap((j) => jobArticles(j.data).map((a) => a.id));
    const seenKey = stateKeys(p.ctx.prefix).seenList('wire');
    await p.redis.pexpire(seenKey, 5_000);
    server.setItems([...server.items]); // same item, new ETag: a full 200 again
    await p.redis.del(stateKeys(p.ctx.prefix).feedClaim('wire')); // the next slot
    await processFetch(jobOf({ feedId: 'wire', slot: 0 }), p.ctx);
    expect(await p.redis.pttl(seenKey)).toBeGreaterThan(29 * 86_400_000);
    expect(await p.ctx.state.seen.unseen('wire', [articleId!, 'other'])).toEqual(['other']);
  });

  it('keeps a throttle flush inside a mute window for the flush at its end', async () => {
    const p = pipeline(
      "channels:\n  - id: quiet\n    type: console\n    throttle: { max: 1, per: 1h }\n    mute: [{ from: '00:00', to: '23:59' }]\n",
    );
    await p.ctx.state.pacing.route(alert(1), 'quiet', 'd1', HELD);
    expect(await processFlush(jobOf({ channelId: 'quiet', reason: 'throttle' }), p.ctx)).toEqual({ alerts: 0 });
    expect(await p.ctx.state.pacing.buffered('quiet')).toBe(1);
    expect(await processFlush(jobOf({ channelId: 'quiet', reason: 'mute' }), p.ctx)).toEqual({ alerts: 1 });
    expect((await digests(p)).map((d) => d.message.kind)).toEqual(['digest']);
  });

  it('sends the alerts of a flush that never finished with the next flush, under the first flush id', async () => {
    const p = pipeline('channels:\n  - id: quiet\n    type: console\n    digest: 1h\n');
    await p.ctx.state.pacing.route(alert(1), 'quiet', 'd1', HELD);
    const first = await p.ctx.state.pacing.takeBuffer('quiet', 'flush-A'); // then the job died
    expect(first.alerts).toHaveLength(1);
    await p.ctx.state.pacing.route(alert(2), 'quiet', 'd2', HELD);
    expect(await processFlush(jobOf({ channelId: 'quiet', reason: 'digest' }, 'flush-B'), p.ctx)).toEqual({ alerts: 1 });
    expect(await processFlush(jobOf({ channelId: 'quiet', reason: 'digest' }, 'flush-C'), p.ctx)).toEqual({ alerts: 1 });
    const sent = await digests(p);
    expect(sent.map((d) => d.deliveryId).sort()).toEqual(['digest-quiet-flush-A', 'digest-quiet-flush-C']);
    expect(sent.flatMap((d) => (d.message.kind === 'digest' ? d.message.alerts.map((a) => a.alertId) : [])).sort()).toEqual([
      'alert-r-1',
      'alert-r-2',
    ]);
  });

  it('buffers an alert with its route, so a retry after the digest went out does not buffer it again', async () => {
    const p = pipeline('channels:\n  - id: quiet\n    type: console\n    digest: 1h\n');
    expect(await p.ctx.state.pacing.route(alert(1), 'quiet', 'd1', HELD)).toEqual({ action: 'buffer', reason: 'digest' });
    expect(await processFlush(jobOf({ channelId: 'quiet', reason: 'digest' }, 'flush-A'), p.ctx)).toEqual({ alerts: 1 });
    // The dispatch is retried (its job died after routing): the stored route holds and nothing is buffered.
    expect(await p.ctx.state.pacing.route(alert(1), 'quiet', 'd1', HELD)).toEqual({ action: 'buffer', reason: 'digest' });
    expect(await p.ctx.state.pacing.buffered('quiet')).toBe(0);
  });

  it('decides an alert route once, so a retried dispatch cannot both send and buffer it', async () => {
    const p = pipeline('channels:\n  - id: quiet\n    type: console\n');
    const plan = { route: { action: 'send' as const }, limits: [{ scope: 'channel:quiet', max: 1, perMs: 60_000 }] };
    const window = 120_000;
    await p.redis.set(`${p.ctx.prefix}:throttle:channel:quiet:${window}`, '1');
    expect(await p.ctx.state.pacing.route(alert(1), 'quiet', 'd1', plan, window + 1)).toEqual({ action: 'buffer', reason: 'throttle' });
    // The retry runs in the next window, which has room: the stored route still holds.
    expect(await p.ctx.state.pacing.route(alert(1), 'quiet', 'd1', plan, window + 60_000)).toEqual({
      action: 'buffer',
      reason: 'throttle',
    });
    expect(await p.redis.exists(`${p.ctx.prefix}:throttle:channel:quiet:${window + 60_000}`)).toBe(0);
  });
});
