/**
 * Redis memory benchmark (issue 13): what newswatch keeps in Redis, measured with MEMORY USAGE on a real
 * redis-server after real articles went through the real daemon, then projected to a deployment of
 * 10,000 feeds, 200,000 new articles a day, 1% matching and one channel, from the measured bytes per
 * item and the shipped retention settings (the arithmetic is printed).
 *
 *   npm run bench -- redis [--articles 20000] [--feeds 50] [--baseline-articles 5000] [--baseline COMMIT]
 *
 * 1. Growth: the daemon (fetch, match, deliver roles) polls --feeds loopback RSS feeds of 50 items,
 *    10 new per poll, description-only HTML items of about 1 KB, 1% of them matching the one rule,
 *    delivered to a loopback webhook. used_memory after a warm-up of 2,000 articles and at the end give
 *    the growth per article. The same harness runs the code of --baseline (default: the commit before
 *    this benchmark's changes) on a fresh Redis, as the naive baseline.
 * 2. Stories at steady density: 7,500 unrelated matched articles (90 h at 2,000 a day) through the real
 *    StoryStore with a clock spread over 90 h, so band hashes fill their generations as in production.
 * 3. Projection, and clustering check: the Redis store's assignments against the in-memory reference on
 *    the ten seeds of the stories evaluation (precision and recall must not change).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { settingsSchema } from '../src/config/schema.js';
import type { Article } from '../src/articles/article.js';
import { FAILED_JOB_RETENTION } from '../src/queues/failed-retention.js';
import { defaultJobOptions, QUEUE_NAMES } from '../src/queues/queues.js';
import { keyFamily } from '../src/state/key-families.js';
import { stateKeys } from '../src/state/keys.js';
import { seenListCap } from '../src/state/seen-items.js';
import { StoryStore } from '../src/state/story-store.js';
import { STORY_OVERLAP } from '../src/stories/story-key.js';
import { STORY_BAND_SHAPE } from '../src/stories/minhash-bands.js';
import { syndicatedCorpus } from '../test/fixtures/stories/syndicated-copies.js';
import { clusterAssignments, keyAll, precision, recall, scorePairs, sumScores } from '../test/fixtures/stories/story-evaluation.js';
import { FeedServer, type FeedItem } from '../test/support/feed-server.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { WebhookReceiver } from '../test/support/webhook-receiver.js';
import { startRedis } from './redis-server.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ARTICLES = Number(arg('articles') ?? 20_000);
const FEEDS = Number(arg('feeds') ?? 50);
const BASELINE_ARTICLES = Number(arg('baseline-articles') ?? 5_000);
/** The code before issue 13's changes: seen keys per article, whole articles in every job, band sets. */
const BASELINE = arg('baseline') ?? 'c595a35';
const WARMUP = 2_000;
const LISTING = 50;
const NEW_PER_POLL = 10;
const MATCH_RATE = 0.01;
const PREFIX = 'bench';
const DAY_MS = 86_400_000;
const MB = 1_048_576;
/** The shipped default interval: what the scheduler's dedup keys live for (two intervals). */
const FEED_INTERVAL_MS = 5 * 60_000;

const WORDS =
  'government minister election market report energy prices talks border army police court city school health climate storm rain trade bank shares company workers union strike river bridge road train airport hospital village festival museum council budget tax policy water power grid wind solar farm harvest port ship cargo data network software'.split(
    ' ',
  );

/**
 * Words for the story fill: unrelated reports seldom share a band, and from WORDS' few dozen words every
 * article would share bands with hundreds of earlier ones (long member lists, each a candidate to fetch).
 */
const STORY_WORDS = Array.from({ length: 5_000 }, (_, i) => `w${i.toString(36)}${'aeiou'[i % 5]}`);

function text(random: () => number, words: number, vocabulary: readonly string[] = WORDS): string {
  return Array.from({ length: words }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ');
}

interface Family {
  keys: number;
  bytes: number;
}

/** MEMORY USAGE of every key under the prefix, by family (and by queue for queue families). */
async function breakdown(redis: Redis): Promise<Map<string, Family>> {
  const families = new Map<string, Family>();
  for await (const keys of redis.scanStream({ match: `${PREFIX}:*`, count: 2_000 }) as AsyncIterable<string[]>) {
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    const sizes = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const name = key.slice(PREFIX.length + 1);
      const family = keyFamily(name)?.name ?? 'undeclared';
      const detail = name.endsWith(':events') ? ' events' : name.includes(':de:') ? ' dedup keys' : '';
      const label = family.startsWith('queue') ? `${family} (${name.split(':')[0]}${detail})` : family;
      const entry = families.get(label) ?? { keys: 0, bytes: 0 };
      entry.keys++;
      entry.bytes += Number(sizes[i]?.[1] ?? 0);
      families.set(label, entry);
    });
  }
  return families;
}

const usedMemory = async (redis: Redis) => Number(/^used_memory:(\d+)/m.exec(await redis.info('memory'))?.[1]);

interface RunResult {
  articles: number;
  matched: number;
  delivered: number;
  usedAtWarmup: number;
  usedAtEnd: number;
  perArticle: number;
  families: Map<string, Family>;
  /** Entries in the alert history and in the articles queue's events stream at the end. */
  historyEntries: number;
  articleEvents: number;
  seconds: number;
}

type StartDaemon = typeof import('../src/daemon/daemon.js').startDaemon;

/** The daemon (fetch, match, deliver) against loopback feeds, articles pushed poll by poll. */
async function pipelineRun(startDaemon: StartDaemon, articles: number): Promise<RunResult> {
  const redisServer = await startRedis();
  const redis = new Redis(redisServer.url);
  const feeds = Array.from({ length: FEEDS }, () => new FeedServer());
  const urls = await Promise.all(feeds.map((f) => f.start()));
  const hook = new WebhookReceiver();
  const hookUrl = await hook.start();
  const dir = mkdtempSync(join(os.tmpdir(), 'newswatch-bench-redis-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'feeds.yaml'), `feeds:\n${urls.map((u, i) => `  - id: feed-${i}\n    url: ${u}\n`).join('')}`);
  writeFileSync(join(dir, 'channels.yaml'), `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n`);
  writeFileSync(
    join(dir, 'rules', 'one.yaml'),
    `rules:\n  - id: one\n    name: The one percent\n    query: zebracorn\n    channels: [hook]\n`,
  );
  writeFileSync(join(dir, 'settings.yaml'), `redis: { prefix: ${PREFIX} }\n`);
  const daemon = await startDaemon({
    configDir: dir,
    roles: ['fetch', 'match', 'deliver'],
    log: pino({ level: 'silent' }),
    env: { REDIS_URL: redisServer.url },
    watchConfig: false,
  });
  const queues = Object.values(QUEUE_NAMES).map((name) => new Queue(name, { connection: redis, prefix: PREFIX }));
  const fetch = queues.find((q) => q.name === 'fetch')!;
  const random = seededRandom(13);
  let serial = 0;
  let matched = 0;
  const item = (pubDate: Date): FeedItem => {
    const match = random() < MATCH_RATE;
    if (match) matched++;
    const n = serial++;
    // Description-only items with HTML: what made the old article job keep the text three times.
    return {
      guid: `item-${n}`,
      title: text(random, 9),
      description: `<p>${text(random, 80)}${match ? ' zebracorn' : ''}</p><p>${text(random, 60)}</p>`,
      pubDate,
    };
  };
  const drained = async () => {
    for (;;) {
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
      if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const poll = async (round: number) => {
    // Each round stands for the feeds' next slot: a fetch claims the slot it happens in (5 min here), so
    // without this every round after the first would be skipped as already fetched.
    await redis.del(feeds.map((_, i) => stateKeys(PREFIX).feedClaim(`feed-${i}`)));
    // The job options the scheduler gives fetch jobs (a dedup key per feed and slot, kept two intervals).
    await fetch.addBulk(
      feeds.map((_, i) => {
        const id = `fetch-feed-${i}-${round}`;
        return {
          name: 'fetch',
          data: { feedId: `feed-${i}`, slot: round },
          opts: {
            jobId: id,
            deduplication: { id, ttl: 2 * FEED_INTERVAL_MS },
            removeOnComplete: true,
            removeOnFail: { age: (2 * FEED_INTERVAL_MS) / 1000 },
          },
        };
      }),
    );
    await drained();
  };
  const started = Date.now();
  // The first poll seeds history quietly (old items), as for any new feed.
  const old = new Date(Date.now() - 3 * DAY_MS);
  for (const f of feeds) f.setItems(Array.from({ length: LISTING }, () => item(old)));
  matched = 0;
  await poll(0);
  let queued = 0;
  let usedAtWarmup = 0;
  for (let round = 1; queued < articles; round++) {
    for (const f of feeds) f.setItems([...Array.from({ length: NEW_PER_POLL }, () => item(new Date())), ...f.items].slice(0, LISTING));
    await poll(round);
    queued += NEW_PER_POLL * FEEDS;
    if (queued >= WARMUP && usedAtWarmup === 0) usedAtWarmup = await usedMemory(redis);
  }
  const usedAtEnd = await usedMemory(redis);
  const families = await breakdown(redis);
  const historyEntries = await redis.xlen(`${PREFIX}:alerts:history`);
  const articleEvents = await redis.xlen(`${PREFIX}:articles:events`);
  const result: RunResult = {
    historyEntries,
    articleEvents,
    articles: queued,
    matched,
    delivered: hook.accepted.length,
    usedAtWarmup,
    usedAtEnd,
    perArticle: (usedAtEnd - usedAtWarmup) / (queued - WARMUP),
    families,
    seconds: (Date.now() - started) / 1000,
  };
  await daemon.stop();
  await Promise.all([...queues.map((q) => q.close()), ...feeds.map((f) => f.stop()), hook.stop()]);
  redis.disconnect();
  redisServer.child.kill();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** The baseline commit's src/ and workers/ unpacked under bench/ (so its imports resolve to our node_modules). */
async function baselineDaemon(commit: string): Promise<StartDaemon> {
  const dir = resolve('bench', '.baseline', commit);
  if (!existsSync(join(dir, 'src'))) {
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['archive', commit, 'src', 'workers']);
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
  }
  return ((await import(pathToFileURL(join(dir, 'src', 'daemon', 'daemon.ts')).href)) as { startDaemon: StartDaemon }).startDaemon;
}

/** Matched articles through the real StoryStore at production density: 2,000 a day for 90 h, one story each. */
async function storyFill(): Promise<{ members: number; inWindow: number; bytes: Map<string, Family> }> {
  const redisServer = await startRedis();
  const redis = new Redis(redisServer.url);
  const window = 72 * 3_600_000;
  const span = 90 * 3_600_000;
  const members = Math.round((2_000 * span) / DAY_MS);
  const start = Date.now();
  let clock = start;
  const store = new StoryStore(redis, stateKeys(PREFIX), window, undefined, undefined, () => clock);
  const random = seededRandom(7);
  const pending: Array<Promise<unknown>> = [];
  for (let i = 0; i < members; i++) {
    clock = start + Math.round((i * span) / members);
    const article: Article = {
      id: `m${i}`.padEnd(22, 'x'),
      feedId: `feed-${i % 10_000}`,
      title: text(random, 9, STORY_WORDS),
      link: `https://news.example/${i}/${text(random, 3).replace(/ /g, '-')}`,
      summary: text(random, 60, STORY_WORDS),
      content: text(random, 60, STORY_WORDS),
      author: '',
      categories: [],
      published: new Date(clock).toISOString(),
      fetchedAt: new Date(clock).toISOString(),
    };
    pending.push(store.assign(article));
    if (pending.length >= 200) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  const bytes = await breakdown(redis);
  redis.disconnect();
  redisServer.child.kill();
  return { members, inWindow: Math.round((2_000 * window) / DAY_MS), bytes };
}

/** The Redis store against the in-memory reference on the stories evaluation's ten seeds. */
async function clusteringCheck(): Promise<{ articles: number; identical: number; reference: [number, number]; store: [number, number] }> {
  const redisServer = await startRedis();
  const redis = new Redis(redisServer.url);
  let articles = 0;
  let identical = 0;
  const referenceScores = [];
  const storeScores = [];
  for (let seed = 1; seed <= 10; seed++) {
    const corpus = keyAll(syndicatedCorpus(seed));
    const expected = clusterAssignments(corpus, STORY_OVERLAP, STORY_BAND_SHAPE);
    const store = new StoryStore(redis, stateKeys(`${PREFIX}-${seed}`), 3_600_000);
    // Sent at once on one connection: Redis runs them in arrival order, as one article after another.
    const got = (
      await Promise.all(
        corpus.map((a) => store.assign({ ...a, feedId: 'f', link: '', author: '', categories: [], published: '', fetchedAt: '' })),
      )
    ).map((s) => s.id);
    articles += corpus.length;
    identical += got.filter((id, i) => id === expected[i]).length;
    referenceScores.push(scorePairs(corpus, (i, j) => expected[i] === expected[j]));
    storeScores.push(scorePairs(corpus, (i, j) => got[i] === got[j]));
  }
  redis.disconnect();
  redisServer.child.kill();
  const pr = (s: ReturnType<typeof sumScores>): [number, number] => [precision(s), recall(s)];
  return { articles, identical, reference: pr(sumScores(referenceScores)), store: pr(sumScores(storeScores)) };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const b = (bytes: number) => `${Math.round(bytes).toLocaleString('en')} B`;
const n = (x: number) => Math.round(x).toLocaleString('en');

function familyTable(families: Map<string, Family>): string {
  const rows = [...families].sort((x, y) => y[1].bytes - x[1].bytes);
  return [
    '| family | keys | bytes | per key |',
    '|---|---:|---:|---:|',
    ...rows.map(([name, f]) => `| ${name} | ${n(f.keys)} | ${b(f.bytes)} | ${b(f.bytes / f.keys)} |`),
  ].join('\n');
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');
async function redisVersion(): Promise<string> {
  const server = await startRedis();
  const client = new Redis(server.url);
  const version = /redis_version:(\S+)/.exec(await client.info('server'))?.[1];
  client.disconnect();
  server.child.kill();
  return `Redis ${version}`;
}
const benchArgs = process.argv
  .slice(2)
  .filter((a) => a !== 'redis')
  .map((a) => ` ${a}`)
  .join('');
console.log(
  `## Redis memory\n\nCommand: \`npm run bench -- redis${benchArgs}\`; load average at start ${load()}; ${os.cpus().length} cores; ${await redisVersion()}.\n`,
);

const { startDaemon } = await import('../src/daemon/daemon.js');
const current = await pipelineRun(startDaemon, ARTICLES);
let baseline: RunResult | undefined;
try {
  baseline = await pipelineRun(await baselineDaemon(BASELINE), BASELINE_ARTICLES);
} catch (err) {
  console.log(`(baseline ${BASELINE} could not run: ${(err as Error).message})\n`);
}

console.log(
  `### Growth over a run: ${FEEDS} feeds, ${LISTING} items each, ${NEW_PER_POLL} new per poll, ${MATCH_RATE * 100}% matching, one webhook\n`,
);
console.log('| code | articles | matched | delivered | used_memory after 2,000 | at the end | growth per article after warm-up | run |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [label, r] of [
  ['this branch', current],
  [`baseline ${BASELINE}`, baseline],
] as const) {
  if (r)
    console.log(
      `| ${label} | ${n(r.articles)} | ${r.matched} | ${r.delivered} | ${mb(r.usedAtWarmup)} | ${mb(r.usedAtEnd)} | **${b(r.perArticle)}** | ${r.seconds.toFixed(0)} s |`,
    );
}
if (baseline)
  console.log(
    `\nGrowth per article: ${(baseline.perArticle / current.perArticle).toFixed(1)}x less than the baseline (target: at most 600 B).`,
  );
console.log(`\nKeys at the end of the run (this branch), MEMORY USAGE by family:\n\n${familyTable(current.families)}\n`);
if (baseline) console.log(`Baseline at the end of its run:\n\n${familyTable(baseline.families)}\n`);

const stories = await storyFill();
console.log(
  `### Stories at production density\n\n${n(stories.members)} matched articles (2,000 a day over 90 h, each its own story) through StoryStore with a clock spread over the 90 h:\n\n${familyTable(stories.bytes)}\n`,
);

// Projection.
const settings = settingsSchema.parse({});
const per = (family: string, from = current.families) => {
  const f = from.get(family);
  if (!f) throw new Error(`no keys of family "${family}" in the run to measure`);
  return f.bytes / f.keys;
};
const eventBytes = per('queue structures (articles events)') / current.articleEvents;
const historyBytes = per('alert history') / current.historyEntries;
const storyBytes = (family: string) => stories.bytes.get(family)?.bytes ?? 0;
const perDay = { articles: 200_000, matched: 2_000, alerts: 2_000, deliveries: 2_000 };
const hours = (ms: number) => ms / 3_600_000;
const keep = (opts: unknown, perDayCount: number) => {
  const o = opts as { age?: number; count?: number };
  const byAge = o.age === undefined ? Infinity : (o.age / 86_400) * perDayCount;
  return Math.min(byAge, o.count ?? Infinity);
};
const complete = (q: keyof typeof defaultJobOptions) => defaultJobOptions[q].removeOnComplete;
const FEEDS_AT_SCALE = 10_000;
const listingAtScale = LISTING;
const seenPerFeed = per('seen lists');
const rows: Array<[string, string, number]> = [
  [
    'seen lists',
    `${n(FEEDS_AT_SCALE)} feeds x ${b(seenPerFeed)} (a ${listingAtScale}-item listing keeps ${seenListCap(listingAtScale)} ids)`,
    FEEDS_AT_SCALE * seenPerFeed,
  ],
  ['feed state', `${n(FEEDS_AT_SCALE)} feeds x ${b(per('feed state'))}`, FEEDS_AT_SCALE * per('feed state')],
  [
    'fetch dedup keys',
    `${n(FEEDS_AT_SCALE)} feeds x 2 slots alive (TTL two intervals) x ${b(per('queue structures (fetch dedup keys)'))}`,
    FEEDS_AT_SCALE * 2 * per('queue structures (fetch dedup keys)'),
  ],
  [
    'article jobs (completed)',
    `min(${n(perDay.articles)}/day x ${hours((complete('articles') as { age: number }).age * 1000)} h, count ${n((complete('articles') as { count: number }).count)}) = ${n(keep(complete('articles'), perDay.articles))} x ${b(per('queue jobs (articles)'))}`,
    keep(complete('articles'), perDay.articles) * per('queue jobs (articles)'),
  ],
  // A process with the match and deliver roles (the shipped single process) routes alerts without the alerts queue.
  current.families.has('queue jobs (alerts)')
    ? [
        'alert jobs (completed)',
        `min(${n(perDay.alerts)}/day x 1 d, count ${n((complete('alerts') as { count: number }).count)}) = ${n(keep(complete('alerts'), perDay.alerts))} x ${b(per('queue jobs (alerts)'))}`,
        keep(complete('alerts'), perDay.alerts) * per('queue jobs (alerts)'),
      ]
    : ['alert jobs (completed)', 'none: match and deliver in one process route each alert in the match job', 0],
  [
    'delivery jobs (completed)',
    `min(${n(perDay.deliveries)}/day x 7 d, count ${n((complete('deliveries') as { count: number }).count)}) = ${n(keep(complete('deliveries'), perDay.deliveries))} x ${b(per('queue jobs (deliveries)'))}`,
    keep(complete('deliveries'), perDay.deliveries) * per('queue jobs (deliveries)'),
  ],
  [
    'queue events streams',
    `4 queues x 10,000 events (BullMQ's cap) x ${b(eventBytes)} (the articles stream: ${n(current.articleEvents)} events)`,
    4 * 10_000 * eventBytes,
  ],
  [
    'alert ledger',
    `${n(perDay.matched)}/day x ${settings.alerts.dedup_ttl / DAY_MS} d = ${n(perDay.matched * (settings.alerts.dedup_ttl / DAY_MS))} x ${b(per('alert ledger'))}`,
    perDay.matched * (settings.alerts.dedup_ttl / DAY_MS) * per('alert ledger'),
  ],
  [
    'alert routes',
    `${n(perDay.alerts)}/day x 7 d = ${n(perDay.alerts * 7)} x ${b(per('alert routes'))}`,
    perDay.alerts * 7 * per('alert routes'),
  ],
  [
    'story claims',
    `${n(perDay.alerts)}/day x ${hours(settings.stories.window) / 24} d = ${n(stories.inWindow)} x ${b(per('story claims'))}`,
    stories.inWindow * per('story claims'),
  ],
  ['story bands', `measured at density: ${mb(storyBytes('story bands'))} for 90 h of matched articles`, storyBytes('story bands')],
  [
    'story members and stories',
    `${mb(storyBytes('story members') + storyBytes('stories'))} for ${n(stories.members)} articles x ${n(stories.inWindow)}/${n(stories.members)} in the window`,
    ((storyBytes('story members') + storyBytes('stories')) * stories.inWindow) / stories.members,
  ],
  ['alert history', `${n(settings.alerts.history)} entries (capped stream) x ${b(historyBytes)}`, settings.alerts.history * historyBytes],
];
const fixed = 1.1 * MB; // an empty redis-server's used_memory
const total = rows.reduce((sum, [, , bytes]) => sum + bytes, 0) + fixed;
console.log(
  `### Steady state: ${n(FEEDS_AT_SCALE)} feeds, ${n(perDay.articles)} new articles a day, 1% matching, one channel, shipped defaults\n`,
);
console.log('| family | arithmetic | bytes |\n|---|---|---:|');
for (const [name, how, bytes] of rows) console.log(`| ${name} | ${how} | ${mb(bytes)} |`);
console.log(`| Redis itself | empty server | ${mb(fixed)} |`);
console.log(`| **total** | | **${mb(total)}** (target <= 300 MB) |\n`);
console.log(
  `Worst cases on top, bounded: a dead channel keeps up to ${n(FAILED_JOB_RETENTION.maxCount)} failed deliveries (${FAILED_JOB_RETENTION.maxAgeMs / DAY_MS} days) x ${kb(per('queue jobs (deliveries)'))} = ${mb(FAILED_JOB_RETENTION.maxCount * per('queue jobs (deliveries)'))} plus their error stacks; a backlog of waiting article jobs costs ${kb(per('queue jobs (articles)'))} each.\n`,
);

const clustering = await clusteringCheck();
const pct = (x: number) => (100 * x).toFixed(1);
console.log(
  `### Clustering through the Redis store\n\nStories evaluation seeds 1-10 (${n(clustering.articles)} articles), each article through StoryStore (Lua, hashed shingles, band hashes) and through the in-memory reference: ${n(clustering.identical)} of ${n(clustering.articles)} assignments identical. Pairwise precision / recall of the assignments: reference ${pct(clustering.reference[0])}% / ${pct(clustering.reference[1])}%, store ${pct(clustering.store[0])}% / ${pct(clustering.store[1])}%.\n`,
);
console.log(`Load average at the end: ${load()}.`);
