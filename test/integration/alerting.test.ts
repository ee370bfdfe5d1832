import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { QUEUE_NAMES, type ArticleJob } from '../../src/queues/queues.js';
import { replayCommand } from '../../src/cli/alerts.js';
import { AlertHistory, summariseHistory } from '../../src/state/alert-history.js';
import { StoryStore } from '../../src/state/story-store.js';
import { sameStory, storyKey, type StoryKey } from '../../src/stories/story-key.js';
import { syndicatedCorpus } from '../fixtures/stories/syndicated-copies.js';
import { WIRE_REPORTS } from '../fixtures/stories/wire-reports.js';
import { FeedServer, rss, type FeedItem } from '../support/feed-server.js';
import { startTestDaemon, type TestDaemon } from '../support/test-daemon.js';
import { Collector, listSource } from '../support/collector.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const RULE = (extra = '', channels = '[hook]') => `rules:
  - id: nk
    name: North Korean troops
    query: 'said OR says OR the'
    channels: ${channels}
${extra}`;

// Distinct stories (from different subjects), so story dedup keeps them apart.
const DISTINCT = WIRE_REPORTS.filter((r, i, all) => all.findIndex((o) => o.topic === r.topic) === i);
const item = (n: number): FeedItem => {
  const report = DISTINCT[n]!;
  return { guid: report.id, title: report.headlines[0]!, description: report.sentences.join(' ') };
};

const bodies = (hook: WebhookReceiver) => hook.accepted.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
/** The payload types a receiver accepts from now on. */
const acceptedTypes = (hook: WebhookReceiver) =>
  new Collector(
    'accepted payload types',
    listSource(() => hook.accepted),
    (r) => (JSON.parse(r.body) as { type: string }).type,
  );

describe('alerting: stories, throttle, digests, 410, replay', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  async function servers(count: number): Promise<{ feeds: FeedServer[]; urls: string[] }> {
    const feeds = Array.from({ length: count }, () => new FeedServer());
    const urls = await Promise.all(feeds.map((f) => f.start()));
    cleanup.push(async () => void (await Promise.all(feeds.map((f) => f.stop()))));
    return { feeds, urls };
  }

  async function receiver(): Promise<{ hook: WebhookReceiver; url: string }> {
    const hook = new WebhookReceiver();
    const url = await hook.start();
    cleanup.push(() => hook.stop());
    return { hook, url };
  }

  async function daemon(files: Record<string, string>, settings = ''): Promise<TestDaemon> {
    const d = await startTestDaemon(files, `delivery: { retry_schedule: [100ms, 100ms] }\n${settings}`);
    cleanup.push(() => d.stop());
    return d;
  }

  it('turns 8 edited copies of one report from 8 feeds into one alert, a story with 8 sources, and one follow-up', async () => {
    // Copies that are pairwise the same story, so the outcome cannot depend on which worker runs first;
    // how often edited copies are recognised at all is measured in bench/stories.ts, not here.
    const copySets = Array.from({ length: 50 }, (_, seed) => syndicatedCorpus(seed + 1).filter((a) => a.storyId === 'nk-troops-kursk'));
    const linked = (a: StoryKey, b: StoryKey) => sameStory(a, b) && a.bands.some((band) => b.bands.includes(band));
    const copies = copySets.find((set) => set.map(storyKey).every((a, _, keys) => keys.every((b) => linked(a, b))))!;
    expect(copies).toHaveLength(8);
    expect(new Set(copies.map((c) => c.title)).size).toBeGreaterThan(3);
    const { feeds, urls } = await servers(8);
    copies.forEach((c, i) => feeds[i]!.setItems([{ guid: c.id, title: c.title, description: c.summary, content: c.content }]));
    const { hook, url } = await receiver();
    const types = acceptedTypes(hook);
    const d = await daemon({
      'feeds.yaml': `feeds:\n${urls.map((u, i) => `  - id: outlet-${i}\n    url: ${u}\n`).join('')}`,
      'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${url}\n`,
      'rules/nk.yaml': RULE('    follow_up: 8\n'),
    });
    // Eight copies, one alert and one follow-up: a ninth payload would come within a second of the last.
    await types.expectExactly(['alert.matched', 'alert.follow_up'], { withinMs: 20_000, quietMs: 1_000 });
    const story = bodies(hook)[0]!.data.story as { id: string };
    const stored = await new StoryStore(d.redis, d.keys, 3_600_000).get(story.id);
    expect(stored.sources).toBe(8);
    expect(stored.articles).toBe(8);
    expect((bodies(hook).find((b) => b.type === 'alert.follow_up')!.data.story as { sources: number }).sources).toBe(8);
  });

  it('holds alerts over a rule throttle and sends them as one digest', async () => {
    const { feeds, urls } = await servers(1);
    feeds[0]!.setItems([1, 2, 3, 4, 5].map(item));
    const { hook, url } = await receiver();
    const d = await daemon({
      'feeds.yaml': `feeds:\n  - id: wire\n    url: ${urls[0]}\n`,
      'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${url}\n`,
      'rules/nk.yaml': RULE('    throttle: { max: 2, per: 1h }\n'),
    });
    await waitFor(
      'two alerts and three held',
      async () => hook.accepted.length === 2 && (await d.redis.hlen(d.keys.digestBuffer('hook'))) === 3,
      15_000,
    );
    expect(bodies(hook).map((b) => b.type)).toEqual(['alert.matched', 'alert.matched']);
    await d.flush('hook', 'throttle');
    await waitFor('the digest', () => hook.accepted.length === 3);
    const digest = bodies(hook)[2]!;
    expect(digest.type).toBe('alert.digest');
    expect(digest.data).toMatchObject({ reason: 'throttle', count: 3 });
    expect(await d.redis.exists(d.keys.digestBuffer('hook'))).toBe(0);
    // The history shows every alert delivered, the three that went out in the digest included.
    await waitFor('the digest in the history', async () =>
      summariseHistory(await new AlertHistory(d.redis, d.keys, 100).since(0)).every((x) => x.deliveries.hook?.ok === true),
    );
    expect(summariseHistory(await new AlertHistory(d.redis, d.keys, 100).since(0))).toHaveLength(5);
  });

  it('collects everything for a digest channel and sends it on its schedule', async () => {
    const { feeds, urls } = await servers(1);
    feeds[0]!.setItems([1, 2, 3].map(item));
    const { hook, url } = await receiver();
    await daemon({
      'feeds.yaml': `feeds:\n  - id: wire\n    url: ${urls[0]}\n`,
      'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${url}\n    digest: 2s\n`,
      'rules/nk.yaml': RULE(),
    });
    await waitFor('a digest of three alerts', () => bodies(hook).some((b) => b.type === 'alert.digest' && b.data.count === 3), 15_000);
    expect(bodies(hook).filter((b) => b.type === 'alert.matched')).toHaveLength(0);
  });

  it('disables a channel that answers 410 and reports it on the other channels', async () => {
    const { feeds, urls } = await servers(1);
    feeds[0]!.setItems([item(1)]);
    const gone = await receiver();
    gone.hook.respond = () => 410;
    const ops = await receiver();
    const goneRequests = new Collector(
      'requests to the gone channel',
      listSource(() => gone.hook.requests),
      (r) => String(r.status),
    );
    await daemon({
      'feeds.yaml': `feeds:\n  - id: wire\n    url: ${urls[0]}\n`,
      'channels.yaml': `channels:\n  - id: gone\n    type: webhook\n    url: ${gone.url}\n  - id: ops\n    type: webhook\n    url: ${ops.url}\n`,
      'rules/nk.yaml': RULE('', '[gone]'),
      // Health notices go to every other channel when none are named.
    });
    await waitFor('the notice', () => bodies(ops.hook).some((b) => b.type === 'channel.unhealthy'), 15_000);
    // One request, answered 410, and no retry (the retry schedule is 100 ms, 100 ms).
    await goneRequests.expectExactly(['410'], { withinMs: 15_000, quietMs: 1_000 });
    expect(bodies(ops.hook)[0]!.data).toMatchObject({ subject: { kind: 'channel', id: 'gone' } });
  });

  it('refuses webhook deliveries to private addresses, and local file feeds, when network.deny_private is on', async () => {
    const feedFile = join(mkdtempSync(join(tmpdir(), 'newswatch-feed-')), 'wire.xml');
    writeFileSync(feedFile, rss([item(1)]));
    const { hook, url } = await receiver();
    const d = await daemon(
      {
        'feeds.yaml': `feeds:\n  - id: wire\n    url: ${feedFile}\n`,
        'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${url}\n`,
        'rules/nk.yaml': RULE(),
      },
      'network: { deny_private: true }\n',
    );
    await waitFor(
      'the refused file feed',
      async () => /local file feeds are refused/.test((await d.redis.hget(d.keys.feed('wire'), 'lastError')) ?? ''),
      15_000,
    );
    // Every address here is loopback, so the article is handed to the match stage directly.
    const articles = new Queue<ArticleJob>(QUEUE_NAMES.articles, { connection: d.redis, prefix: d.prefix });
    const now = new Date().toISOString();
    await articles.add('article', {
      article: {
        id: 'deny-1',
        feedId: 'wire',
        title: item(1).title,
        link: 'https://example.test/a',
        summary: item(1).description,
        content: '',
        author: '',
        categories: [],
        published: now,
        fetchedAt: now,
      },
    });
    await articles.close();
    await waitFor(
      'the refused delivery in the history',
      async () => {
        const [alert] = summariseHistory(await new AlertHistory(d.redis, d.keys, 100).since(0));
        return alert?.deliveries.hook?.ok === false;
      },
      15_000,
    );
    const [alert] = summariseHistory(await new AlertHistory(d.redis, d.keys, 100).since(0));
    expect(alert!.deliveries.hook).toMatchObject({ attempts: 1, ok: false });
    expect(alert!.deliveries.hook!.lastError).toMatch(/private address.*deny_private/);
    expect(hook.requests).toHaveLength(0);
  });

  it('replays failed deliveries with the same webhook-id, and records every attempt', async () => {
    const { feeds, urls } = await servers(1);
    feeds[0]!.setItems([item(1)]);
    const { hook, url } = await receiver();
    hook.respond = () => 500;
    const d = await startTestDaemon(
      {
        'feeds.yaml': `feeds:\n  - id: wire\n    url: ${urls[0]}\n`,
        'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${url}\n`,
        'rules/nk.yaml': RULE(),
      },
      'delivery: { retry_schedule: [] }\n',
    );
    cleanup.push(() => d.stop());
    // Replay --failed retries the failed set: wait until the attempt's job has landed there.
    const deliveries = new Queue(QUEUE_NAMES.deliveries, { connection: d.redis, prefix: d.prefix });
    cleanup.push(() => deliveries.close());
    await waitFor('the failed delivery job', async () => (await deliveries.getFailedCount()) === 1, 15_000);
    expect(hook.requests).toHaveLength(1);
    hook.respond = () => 200;
    const previous = process.env.REDIS_URL;
    process.env.REDIS_URL = inject('redisUrl');
    try {
      expect(await replayCommand(undefined, { config: d.dir, failed: true })).toBe(0);
    } finally {
      process.env.REDIS_URL = previous;
    }
    await waitFor('the replayed delivery', () => hook.accepted.length === 1);
    expect(hook.requests[1]!.headers['webhook-id']).toBe(hook.requests[0]!.headers['webhook-id']);
    const history = async () => summariseHistory(await new AlertHistory(d.redis, d.keys, 100).since(0));
    await waitFor('the replayed delivery in the history', async () => (await history())[0]?.deliveries.hook?.ok === true);
    const [alert] = await history();
    expect(alert!.deliveries.hook).toMatchObject({ attempts: 2, ok: true });
  });
});
