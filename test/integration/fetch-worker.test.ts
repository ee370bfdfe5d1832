import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { processFetch } from '../../src/workers/fetch-worker.js';
import { jobArticles, type DeliveryJob } from '../../src/queues/queues.js';
import { FeedServer, rss, type FeedItem } from '../support/feed-server.js';
import { stateKeys } from '../../src/state/keys.js';
import { jobOf, testPipeline, type TestPipeline } from '../support/test-pipeline.js';

const CHANNELS = 'channels:\n  - id: ops\n    type: console\n';
const item = (guid: string, ageHours = 0): FeedItem => ({
  guid,
  title: `Story ${guid}`,
  description: 'text',
  pubDate: new Date(Date.now() - ageHours * 3_600_000),
});

describe('fetch worker: polling like a good citizen', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });

  async function setup(handler?: (req: IncomingMessage, res: ServerResponse) => void, feedExtra = '', settings = '') {
    const server = new FeedServer();
    server.handler = handler;
    const url = await server.start();
    open.push({ close: () => server.stop() });
    const files = (u: string) => ({
      'feeds.yaml': `feeds:\n  - id: wire\n    url: ${u}\n    interval: 10s\n${feedExtra}`,
      'channels.yaml': CHANNELS,
    });
    const p = testPipeline(files(url), settings);
    open.push(p);
    return { server, url, p, files };
  }

  // Each call stands for the job of a new slot: drop the claim the last fetch left on its slot.
  const fetchOnce = async (p: TestPipeline) => {
    await p.redis.del(stateKeys(p.ctx.prefix).feedClaim('wire'));
    return processFetch(jobOf({ feedId: 'wire', slot: 0 }), p.ctx);
  };
  const notices = async (p: TestPipeline) =>
    (await p.ctx.queues.deliveries.getJobs(['waiting', 'delayed', 'prioritized']))
      .map((j) => (j.data as DeliveryJob).message)
      .filter((m) => m.kind === 'notice')
      .map((m) => (m.kind === 'notice' ? m.notice.type : ''));

  it('waits as long as Retry-After says on 429 and 503, without fetching in between', async () => {
    for (const status of [429, 503]) {
      const { server, p } = await setup((_req, res) => void res.writeHead(status, { 'retry-after': '120' }).end());
      const before = Date.now();
      expect(await fetchOnce(p)).toMatchObject({ status: 'failed' });
      const state = await p.ctx.state.feeds.get('wire');
      expect(state.nextDue! - before).toBeGreaterThanOrEqual(119_000);
      expect(state.nextDue! - before).toBeLessThan(125_000);
      expect(await fetchOnce(p)).toMatchObject({ status: 'skipped' });
      expect(server.requests).toBe(1);
    }
  });

  it('disables a feed that answers 410 until its url changes, with an error log and a notice', async () => {
    const { server, url, p, files } = await setup((_req, res) => void res.writeHead(410).end());
    expect(await fetchOnce(p)).toMatchObject({ status: 'failed' });
    expect(p.logs.some((l) => l.level === 50 && /feed disabled: HTTP 410/.test(l.msg))).toBe(true);
    expect(await notices(p)).toEqual(['feed.gone']);
    expect(await fetchOnce(p)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('gone') });
    expect(server.requests).toBe(1);
    server.handler = undefined;
    p.setConfig(files(`${url}?moved=1`));
    expect(await fetchOnce(p)).toMatchObject({ status: 'fetched' });
  });

  it('raises one health notice after N consecutive failures and a recovery notice when it works again', async () => {
    let failing = true;
    const { server, p } = await setup(
      (_req, res) => {
        if (failing) return void res.writeHead(500).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([item('a')]));
      },
      '',
      'health: { feed_failures: 3 }\n',
    );
    for (let i = 1; i <= 4; i++) {
      await p.redis.hdel(`${p.ctx.prefix}:feed:wire`, 'nextDue'); // skip the backoff wait
      expect(await fetchOnce(p)).toMatchObject({ status: 'failed' });
    }
    expect((await p.ctx.state.feeds.get('wire')).consecutiveFailures).toBe(4);
    expect(await notices(p)).toEqual(['feed.unhealthy']);
    failing = false;
    await p.redis.hdel(`${p.ctx.prefix}:feed:wire`, 'nextDue');
    expect(await fetchOnce(p)).toMatchObject({ status: 'fetched' });
    expect((await notices(p)).sort()).toEqual(['feed.recovered', 'feed.unhealthy']);
    expect(server.requests).toBe(5);
  });

  it('polls more slowly when Cache-Control or the RSS ttl ask for it, up to max_interval', async () => {
    const { p } = await setup(
      (_req, res) =>
        void res.writeHead(200, { 'content-type': 'application/rss+xml', 'cache-control': 'public, max-age=3600' }).end(rss([item('a')])),
      '    max_interval: 10m\n',
    );
    const before = Date.now();
    await fetchOnce(p);
    const { nextDue } = await p.ctx.state.feeds.get('wire');
    expect(nextDue! - before).toBeGreaterThanOrEqual(600_000 - 1_000);
    expect(nextDue! - before).toBeLessThanOrEqual(600_000 + 1_000);

    const ttl = await setup(
      (_req, res) =>
        void res
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end(rss([item('b')]).replace('<description>test</description>', '<description>test</description><ttl>2</ttl>')),
    );
    const at = Date.now();
    await fetchOnce(ttl.p);
    const due = (await ttl.p.ctx.state.feeds.get('wire')).nextDue!;
    expect(due - at).toBeGreaterThanOrEqual(119_000);
    expect(due - at).toBeLessThan(125_000);
  });

  it('never polls faster than the interval because of a short max-age', async () => {
    const { p } = await setup(
      (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml', 'cache-control': 'max-age=1' }).end(rss([item('a')])),
    );
    await fetchOnce(p);
    expect((await p.ctx.state.feeds.get('wire')).nextDue).toBeUndefined();
  });

  it('seeds history on the first fetch: old and undated items are remembered but not queued', async () => {
    const { server, p } = await setup();
    const undated = (guid: string): FeedItem => ({ ...item(guid), pubDate: null });
    server.setItems([item('new'), item('old', 30), undated('undated-old')]);
    expect(await fetchOnce(p)).toMatchObject({ status: 'fetched', newArticles: 1 });
    const queued = async () =>
      (await p.ctx.queues.articles.getJobs(['waiting'])).flatMap((j) => jobArticles(j.data).map((a) => a.title)).sort();
    expect(await queued()).toEqual(['Story new']);
    server.setItems([item('newer'), undated('undated-new'), item('new'), item('old', 30), undated('undated-old')]);
    expect(await fetchOnce(p)).toMatchObject({ status: 'fetched', newArticles: 2 });
    expect(await queued()).toEqual(['Story new', 'Story newer', 'Story undated-new']);
  });

  it('follows a permanent redirect and tells the operator to update the url', async () => {
    const { url, p } = await setup((req, res) => {
      if (req.url === '/feed.xml') return void res.writeHead(301, { location: '/new-home.xml' }).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([item('a')]));
    });
    expect(await fetchOnce(p)).toMatchObject({ status: 'fetched' });
    const warning = p.logs.find((l) => /moved permanently/.test(l.msg));
    expect(warning?.msg).toContain(new URL('/new-home.xml', url).toString());
  });

  it('does not read a body again that is byte-identical to the last (a server without validators), and queues only new items', async () => {
    let items = [item('a'), item('b')];
    const { server, p } = await setup((_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items)));
    expect(await fetchOnce(p)).toMatchObject({ status: 'fetched' });
    const queued = async () =>
      (await p.ctx.queues.articles.getJobs(['waiting'])).flatMap((j) => jobArticles(j.data).map((a) => a.title)).sort();
    const before = await queued();
    expect(await fetchOnce(p)).toEqual({ status: 'not-modified', reason: 'body unchanged' });
    items = [item('c'), ...items];
    expect(await fetchOnce(p)).toMatchObject({ status: 'fetched', newArticles: 1 });
    expect(await queued()).toEqual([...before, 'Story c'].sort());
    expect(server.requests).toBe(3);
  });
});
