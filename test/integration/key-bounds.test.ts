import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { QUEUE_NAMES, type FlushJob } from '../../src/queues/queues.js';
import { keyFamily } from '../../src/state/key-families.js';
import { WIRE_REPORTS } from '../fixtures/stories/wire-reports.js';
import { FeedServer, type FeedItem } from '../support/feed-server.js';
import { startTestDaemon } from '../support/test-daemon.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const DAY = 86_400_000;

describe('every key newswatch writes is bounded', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  it('after a pipeline run (stories, alerts, a throttle, a digest, a failing channel), every key has a TTL or belongs to a bounded family', async () => {
    const feeds = [new FeedServer(), new FeedServer()];
    const urls = await Promise.all(feeds.map((f) => f.start()));
    const hook = new WebhookReceiver();
    const hookUrl = await hook.start();
    const broken = new WebhookReceiver();
    broken.respond = () => 500;
    const brokenUrl = await broken.start();
    cleanup.push(async () => void (await Promise.all([...feeds.map((f) => f.stop()), hook.stop(), broken.stop()])));
    const old = new Date(Date.now() - 3 * DAY);
    // The first fetch seeds history (old items), the second brings new ones: some copies of one report.
    const report = (n: number, copy = 0, pubDate?: Date): FeedItem => ({
      guid: `r${n}-c${copy}`,
      title: WIRE_REPORTS[n]!.headlines[copy % WIRE_REPORTS[n]!.headlines.length]!,
      description: `<p>${WIRE_REPORTS[n]!.sentences.join(' ')}</p>`,
      pubDate,
    });
    feeds.forEach((f, i) => f.setItems([report(20 + i, 0, old)]));
    const d = await startTestDaemon(
      {
        'feeds.yaml': `feeds:\n${urls.map((u, i) => `  - id: outlet-${i}\n    url: ${u}\n    interval: 1m\n`).join('')}`,
        'channels.yaml': `channels:
  - id: hook
    type: webhook
    url: ${hookUrl}
  - id: held
    type: webhook
    url: ${hookUrl}
    throttle: { max: 1, per: 1h }
  - id: broken
    type: webhook
    url: ${brokenUrl}
`,
        'rules/all.yaml': `rules:\n  - id: all\n    name: Everything\n    query: 'said OR says OR the'\n    channels: [hook, held, broken]\n    follow_up: 2\n`,
      },
      'delivery: { retry_schedule: [50ms] }\n',
    );
    cleanup.push(() => d.stop());
    await waitFor('the first fetches', async () => (await d.redis.exists(d.keys.seenList('outlet-0'), d.keys.seenList('outlet-1'))) === 2);
    feeds.forEach((f, i) => f.setItems([report(0, i), report(1, i), report(2 + i, 0), report(20 + i, 0, old)]));
    const fetches = new Queue(QUEUE_NAMES.fetch, { connection: d.redis, prefix: d.prefix });
    const deliveries = new Queue(QUEUE_NAMES.deliveries, { connection: d.redis, prefix: d.prefix });
    cleanup.push(async () => void (await Promise.all([fetches.close(), deliveries.close()])));
    // A fetch serves the slot it runs in, once: drop the first fetches' claims, as the next slot would.
    await d.redis.del(d.keys.feedClaim('outlet-0'), d.keys.feedClaim('outlet-1'));
    await fetches.addBulk(
      [0, 1].map((i) => ({ name: 'fetch', data: { feedId: `outlet-${i}`, slot: 1 }, opts: { jobId: `fetch-outlet-${i}-bounds` } })),
    );
    await waitFor(
      'alerts on the hook, and the broken channel given up',
      async () => hook.accepted.length >= 4 && (await deliveries.getFailedCount()) >= 4,
      20_000,
    );
    await d.flush('held', 'throttle' satisfies FlushJob['reason']);
    await waitFor(
      'the throttled alerts sent as a digest',
      () => hook.accepted.some((r) => JSON.parse(r.body).type === 'alert.digest'),
      20_000,
    );

    const unbounded: string[] = [];
    const families = new Map<string, number>();
    for await (const keys of d.redis.scanStream({ match: `${d.prefix}:*`, count: 1_000 }) as AsyncIterable<string[]>) {
      for (const key of keys) {
        const name = key.slice(d.prefix.length + 1);
        const family = keyFamily(name);
        families.set(family?.name ?? `undeclared: ${name}`, (families.get(family?.name ?? `undeclared: ${name}`) ?? 0) + 1);
        const ttl = await d.redis.pttl(key);
        // -2: the key expired between SCAN and PTTL (host-gap keys live one per_host_gap), so it was bounded.
        if (ttl > 0 || ttl === -2) continue;
        if (!family || family.bound === 'ttl')
          unbounded.push(`${name} (${family ? `family "${family.name}" should expire` : 'no declared family'})`);
      }
    }
    expect(unbounded).toEqual([]);
    // The run reached the families it is meant to check.
    for (const name of [
      'seen lists',
      'feed state',
      'alert ledger',
      'story members',
      'story bands',
      'stories',
      'story claims',
      'throttle counters',
      'alert routes',
      'alert history',
      'queue jobs',
    ]) {
      expect([...families.keys()]).toContain(name);
    }
  });
});
