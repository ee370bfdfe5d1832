import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { feedsExportCommand, feedsImportCommand, feedsTableCommand, type FeedHealthRecord } from '../../src/cli/feeds.js';
import { fetchCommand } from '../../src/cli/fetch.js';
import { loadConfig } from '../../src/config/load.js';
import { FeedStateStore } from '../../src/state/feed-state.js';
import { stateKeys } from '../../src/state/keys.js';
import { writeConfigDir } from '../support/config-dir.js';
import { FeedServer, rss, type FeedItem } from '../support/feed-server.js';
import { captureOutput } from '../support/capture-output.js';
import { cli } from '../support/cli-process.js';

const REPO = join(import.meta.dirname, '../..');
const OPML = (name: string) => join(REPO, 'test/fixtures/opml', name);

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const CHANNELS = 'channels: []\n';

describe('newswatch feeds (health table)', () => {
  const redisUrl = inject('redisUrl');
  const prefix = `test-${randomUUID()}`;
  const redis = new Redis(redisUrl);
  const store = new FeedStateStore(redis, stateKeys(prefix));
  const longError = `HTTP 503 Service Unavailable: ${'the upstream cache is overloaded, '.repeat(4)}try later`;
  const dir = writeConfigDir({
    'settings.yaml': `redis: { url: "${redisUrl}", prefix: ${prefix} }\n`,
    'channels.yaml': CHANNELS,
    'feeds.yaml': `feeds:
  - { id: fine, url: "http://127.0.0.1:1/fine.xml", interval: 1d }
  - { id: flaky, url: "http://127.0.0.1:1/flaky.xml", interval: 5m }
  - { id: removed, url: "http://127.0.0.1:1/removed.xml" }
  - { id: brand-new, url: "http://127.0.0.1:1/new.xml" }
  - { id: paused, url: "http://127.0.0.1:1/paused.xml", enabled: false }
`,
  });

  beforeAll(async () => {
    await store.recordSuccess('fine', { status: 200, newItems: 7 });
    await store.recordSuccess('fine', { status: 304, newItems: 0 });
    // Gone at its old url only: the url in feeds.yaml has changed since, and fails differently.
    await store.markGone('flaky', 'http://127.0.0.1:1/flaky-old.xml', 'HTTP 410 Gone');
    for (let i = 0; i < 3; i++) await store.recordFailure('flaky', { error: longError, status: 503, intervalMs: 300_000 });
    await store.markGone('removed', 'http://127.0.0.1:1/removed.xml', 'HTTP 410 Gone: the feed no longer exists');
    await store.recordSuccess('paused', { status: 200, newItems: 3 });
  });
  afterAll(() => redis.quit());

  it('shows each feed with its health, last fetch, status, items, next due and a shortened error', async () => {
    const { code, out } = await captureOutput(() => feedsTableCommand({ config: dir }));
    expect(code).toBe(0);
    const row = (id: string) => out.split('\n').find((l) => l.startsWith(`${id} `)) ?? '';
    expect(out.split('\n')[0]).toMatch(/^FEED\s+HEALTH\s+LAST FETCH\s+STATUS\s+ITEMS\s+NEXT DUE\s+LAST ERROR$/);
    // A day-long interval: a slot boundary between seeding and reading is all but impossible.
    expect(row('fine')).toMatch(/^fine\s+ok\s+(now|\d+s ago)\s+304\s+7\s+in \d+[smhd]\s+-$/);
    expect(row('flaky')).toMatch(
      /^flaky\s+failing 3\s+(now|\d+s ago)\s+503\s+0\s+in \d+m\s+HTTP 503 Service Unavailable: the upstream .*…$/,
    );
    expect(row('flaky').slice(row('flaky').indexOf('HTTP 503'))).toHaveLength(70);
    expect(row('removed')).toMatch(/^removed\s+gone\s+(now|\d+s ago)\s+410\s+0\s+-\s+HTTP 410 Gone/);
    expect(row('brand-new')).toMatch(/^brand-new\s+never fetched\s+never\s+-\s+0\s+now\s+-$/);
    expect(row('paused')).toMatch(/^paused\s+disabled\s+.*\s+-\s+-$/);
    expect(out).toContain('5 feed(s): 1 ok, 1 failing, 1 gone, 1 never fetched, 1 disabled');
  });

  it('prints stable JSON fields, with next due at the schedule slot or the backoff, whichever is later', async () => {
    const before = Date.now();
    const { code, out } = await captureOutput(() => feedsTableCommand({ config: dir, json: true }));
    expect(code).toBe(0);
    const records = JSON.parse(out) as FeedHealthRecord[];
    const byId = Object.fromEntries(records.map((r) => [r.id, r]));
    expect(Object.keys(byId.fine!).sort()).toEqual(
      [
        'consecutiveFailures',
        'enabled',
        'health',
        'id',
        'intervalMs',
        'itemsSeen',
        'lastAttempt',
        'lastError',
        'lastStatus',
        'lastSuccess',
        'nextDue',
        'tags',
        'url',
      ].sort(),
    );
    expect(records.map((r) => r.health)).toEqual(['ok', 'failing', 'gone', 'never-fetched', 'disabled']);
    expect(byId.fine).toMatchObject({ itemsSeen: 7, lastStatus: 304, consecutiveFailures: 0, lastError: null, intervalMs: 86_400_000 });
    const fineDue = Date.parse(byId.fine!.nextDue!);
    expect(fineDue).toBeGreaterThan(before);
    expect(fineDue).toBeLessThanOrEqual(Date.now() + 86_400_000);
    // Three failures back off at least 4 intervals (20 min, minus jitter): later than the next slot.
    const flakyState = await store.get('flaky');
    expect(Date.parse(byId.flaky!.nextDue!)).toBe(flakyState.nextDue);
    expect(flakyState.nextDue! - Date.now()).toBeGreaterThan(300_000);
    expect(byId.flaky).toMatchObject({ health: 'failing', consecutiveFailures: 3, lastError: longError, lastSuccess: null });
    expect(byId.removed!.nextDue).toBeNull();
    expect(byId.paused!.nextDue).toBeNull();
    expect(byId['brand-new']).toMatchObject({ lastAttempt: null, lastStatus: null, itemsSeen: 0 });
    expect(Date.parse(byId['brand-new']!.nextDue!)).toBeLessThanOrEqual(Date.now());
  });

  it('exits 2 with a clear message when Redis does not answer, without waiting long', async () => {
    const port = await closedPort();
    const down = writeConfigDir({
      'settings.yaml': `redis: { url: "redis://127.0.0.1:${port}", prefix: ${prefix} }\n`,
      'channels.yaml': CHANNELS,
      'feeds.yaml': 'feeds: []\n',
    });
    const saved = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
    try {
      const started = Date.now();
      const { code, err } = await captureOutput(() => feedsTableCommand({ config: down }));
      expect(code).toBe(2);
      expect(err).toContain(`newswatch feeds: cannot reach Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED`);
      expect(err).toContain('Set REDIS_URL');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      if (saved !== undefined) process.env.REDIS_URL = saved;
    }
  });
});

const EXISTING_FEEDS = `# Our feeds. Keep the wire first.
feeds:
  - id: yonhap-nk     # the wire
    url: https://en.yna.co.kr/RSS/nk.xml
    tags: [ korea ]
# more below
`;

describe('newswatch feeds import / export', () => {
  it('appends new feeds, keeps the file byte for byte, and skips what is already there', async () => {
    const dir = writeConfigDir({ 'feeds.yaml': EXISTING_FEEDS, 'channels.yaml': CHANNELS });
    const first = await captureOutput(() => feedsImportCommand(OPML('nested-opml1.opml'), { config: dir }));
    expect(first.code).toBe(0);
    expect(first.out).toContain('added 5, skipped 2 already present');
    expect(first.out).toContain('added le-monde-asie-pacifique: https://www.lemonde.fr/asie-pacifique/rss_full.xml');
    expect(first.err).toContain('skipped https://en.yna.co.kr/RSS/nk.xml: already present as "yonhap-nk"');
    const written = readFileSync(join(dir, 'feeds.yaml'), 'utf8');
    expect(written.startsWith(EXISTING_FEEDS.replace('# more below\n', ''))).toBe(true);
    expect(written.endsWith('# more below\n')).toBe(true);
    const loaded = loadConfig(dir, {});
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    expect(loaded.config.feeds.map((f) => [f.id, f.tags, f.enabled])).toEqual([
      ['yonhap-nk', ['korea'], true],
      ['le-monde-asie-pacifique', ['news-politics', 'asia'], true],
      ['meduza', ['news-politics', 'europe'], true],
      ['suddeutsche-zeitung', ['news-politics', 'europe'], true],
      ['tass-ru', [], true],
      ['old-blog', ['archive'], false],
    ]);

    const again = await captureOutput(() => feedsImportCommand(OPML('nested-opml1.opml'), { config: dir }));
    expect(again.out).toContain('added 0, skipped 7 already present');
    expect(readFileSync(join(dir, 'feeds.yaml'), 'utf8')).toBe(written);
  });

  it('--dry-run prints the YAML it would add and writes nothing', async () => {
    const dir = writeConfigDir({ 'feeds.yaml': EXISTING_FEEDS, 'channels.yaml': CHANNELS });
    const { code, out } = await captureOutput(() => feedsImportCommand(OPML('nested-opml1.opml'), { config: dir, dryRun: true }));
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'feeds.yaml'), 'utf8')).toBe(EXISTING_FEEDS);
    expect((parse(out) as { id: string }[]).map((e) => e.id)).toEqual([
      'le-monde-asie-pacifique',
      'meduza',
      'suddeutsche-zeitung',
      'tass-ru',
      'old-blog',
    ]);
    expect(out.trimEnd().split('\n').at(-1)).toBe('# would add 5, skipped 2 already present; nothing written');
  });

  it('reads the charset an OPML file declares and creates feeds.yaml when there is none', async () => {
    const dir = writeConfigDir({ 'channels.yaml': CHANNELS });
    const { code } = await captureOutput(() => feedsImportCommand(OPML('categories-opml2.opml'), { config: dir }));
    expect(code).toBe(0);
    const loaded = loadConfig(dir, {});
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    expect(loaded.config.feeds.map((f) => [f.id, f.tags])).toEqual([
      ['bbc-world', ['world', 'europe', 'breaking']],
      ['bbc-world-2', ['asia']],
      ['actualites', []],
      ['example-net', []],
    ]);
  });

  it('exits 2 on an OPML file it refuses or cannot read, and leaves feeds.yaml alone', async () => {
    const dir = writeConfigDir({ 'feeds.yaml': EXISTING_FEEDS, 'channels.yaml': CHANNELS });
    const bomb = await captureOutput(() => feedsImportCommand(OPML('billion-laughs.opml'), { config: dir }));
    expect(bomb.code).toBe(2);
    expect(bomb.err).toContain('billion-laughs.opml: refusing an OPML file with a DTD');
    const broken = await captureOutput(() => feedsImportCommand(OPML('truncated.opml'), { config: dir }));
    expect(broken.err).toMatch(/truncated\.opml: not well-formed XML at line 5, column 3/);
    const missing = await captureOutput(() => feedsImportCommand(OPML('no-such.opml'), { config: dir }));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no-such.opml: cannot read');
    expect(readFileSync(join(dir, 'feeds.yaml'), 'utf8')).toBe(EXISTING_FEEDS);
  });

  it('export then import into an empty config reproduces ids, urls, tags and enabled flags', async () => {
    const source = writeConfigDir({
      'channels.yaml': CHANNELS,
      'feeds.yaml': `feeds:
  - { id: BBC_World.v2, url: "https://feeds.bbci.co.uk/news/world/rss.xml?a=1&b=2", tags: [world, uk] }
  - { id: nknews, url: "https://www.nknews.org/feed/", tags: [korea], enabled: false }
  - { id: local-file, url: "local/wire.xml" }
  - { id: yonhap, url: "https://en.yna.co.kr/RSS/nk.xml", tags: [korea] }
`,
      // A local feed path is read from the config directory.
      'local/wire.xml': '<rss version="2.0"><channel><title>Wire</title></channel></rss>\n',
    });
    const exported = await captureOutput(() => feedsExportCommand({ config: source }));
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0"/);
    const opmlFile = join(writeConfigDir({ 'feeds.opml': exported.out }), 'feeds.opml');
    const target = writeConfigDir({ 'channels.yaml': CHANNELS, 'feeds.yaml': 'feeds: []\n' });
    expect((await captureOutput(() => feedsImportCommand(opmlFile, { config: target }))).code).toBe(0);
    const [a, b] = [source, target].map((d) => {
      const loaded = loadConfig(d, {});
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      return loaded.config.feeds
        .map((f) => ({ id: f.id, url: f.url, tags: f.tags, enabled: f.enabled }))
        .sort((x, y) => x.id.localeCompare(y.id));
    });
    expect(b).toEqual(a);
  });
});

describe('newswatch fetch', () => {
  const server = new FeedServer();
  let url: string;
  const items: FeedItem[] = [
    {
      guid: 'a-1',
      title: 'North Korea sends engineers to Kursk',
      description: 'About 1,000 deminers will go, officials said.',
      pubDate: new Date('2025-06-17T09:00:00Z'),
    },
    {
      guid: 'b-2',
      title: 'Seoul shares close higher',
      description: 'Chipmakers led the KOSPI up 1.2 percent.',
      pubDate: new Date('2025-06-16T07:30:00Z'),
    },
  ];

  beforeAll(async () => {
    url = await server.start();
    server.setItems(items);
  });
  afterAll(() => server.stop());

  it('prints the parsed articles of a URL', async () => {
    const { code, out } = await captureOutput(() => fetchCommand(url, {}));
    expect(code).toBe(0);
    expect(out).toContain(`Test Wire: rss, utf-8, HTTP 200 from ${url}`);
    expect(out).toContain('2 article(s)');
    expect(out).toContain(
      '1. North Korea sends engineers to Kursk\n   link:      http://example.test/a-1\n   published: 2025-06-17T09:00:00.000Z\n   id:        ',
    );
    expect(out).toContain('   About 1,000 deminers will go, officials said.');
  });

  it('fetches a configured feed by id and prints JSON', async () => {
    const dir = writeConfigDir({ 'channels.yaml': CHANNELS, 'feeds.yaml': `feeds:\n  - id: wire\n    url: ${url}\n` });
    const { code, out } = await captureOutput(() => fetchCommand('wire', { config: dir, json: true }));
    expect(code).toBe(0);
    const result = JSON.parse(out) as {
      feed: Record<string, unknown>;
      articles: { feedId: string; title: string; link: string; published: string }[];
    };
    expect(result.feed).toMatchObject({ id: 'wire', url, finalUrl: url, status: 200, format: 'rss', title: 'Test Wire', movedTo: null });
    expect(result.articles.map((a) => [a.feedId, a.title, a.published])).toEqual([
      ['wire', items[0]!.title, '2025-06-17T09:00:00.000Z'],
      ['wire', items[1]!.title, '2025-06-16T07:30:00.000Z'],
    ]);
  });

  it('says when a feed has moved for good, so the operator can update feeds.yaml', async () => {
    const feedUrl = new URL(url);
    server.handler = (req, res) => {
      if (req.url === '/old.xml') return void res.writeHead(301, { location: feedUrl.pathname }).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(items));
    };
    const { code, out } = await captureOutput(() => fetchCommand(new URL('/old.xml', url).href, {}));
    server.handler = undefined;
    expect(code).toBe(0);
    expect(out).toContain(`HTTP 200 from ${url}\nmoved permanently to ${url}: update the url in feeds.yaml\n2 article(s)`);
  });

  it('exits 2 and says what failed: HTTP error, not a feed, unknown id', async () => {
    server.handler = (_req, res) => void res.writeHead(503, { 'retry-after': '120' }).end('busy');
    const unavailable = await captureOutput(() => fetchCommand(url, {}));
    expect(unavailable.code).toBe(2);
    expect(unavailable.err).toMatch(/^newswatch fetch: 127\.0\.0\.1: fetch failed \(http, HTTP 503\): /);

    server.handler = (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Not a feed</body></html>');
    const html = await captureOutput(() => fetchCommand(url, {}));
    expect(html.code).toBe(2);
    expect(html.err).toContain(`fetched ${url} but could not parse it (not-a-feed)`);
    server.handler = undefined;

    const dir = writeConfigDir({ 'channels.yaml': CHANNELS, 'feeds.yaml': `feeds:\n  - id: wire\n    url: ${url}\n` });
    const unknown = await captureOutput(() => fetchCommand('wyre', { config: dir }));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('"wyre" is not a feed id in');
    expect(unknown.err).toContain('(feed ids: wire)');
  });
});

describe('the real CLI', () => {
  it('wires the commands, options after subcommands and exit codes', async () => {
    const redisUrl = inject('redisUrl');
    const dir = writeConfigDir({
      'settings.yaml': `redis: { prefix: test-${randomUUID()} }\n`,
      'channels.yaml': CHANNELS,
      'feeds.yaml': EXISTING_FEEDS,
    });
    const port = await closedPort();
    const [table, dryRun, failed] = await Promise.all([
      cli(['feeds', '--json', '--config', dir], { REDIS_URL: redisUrl }),
      cli(['feeds', 'import', OPML('nested-opml1.opml'), '--config', dir, '--dry-run']),
      cli(['fetch', `http://127.0.0.1:${port}/feed.xml`, '--config', dir]),
    ]);
    expect(table).toMatchObject({ code: 0 });
    expect((JSON.parse(table.out) as FeedHealthRecord[]).map((r) => [r.id, r.health])).toEqual([['yonhap-nk', 'never-fetched']]);
    expect(dryRun.code).toBe(0);
    expect(dryRun.out).toContain('# would add 5, skipped 2 already present; nothing written');
    expect(failed.code).toBe(2);
    expect(failed.err).toContain('fetch failed (network)');
  }, 60_000);
});
