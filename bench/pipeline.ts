/**
 * Pipeline benchmark (issue 10, target 1): the real daemon (`newswatch start --role fetch,match,deliver`
 * in its own process) moving distinct articles from loopback feeds through one rule that matches every
 * article to a loopback webhook, against a bare BullMQ chain of the same shape (bench/pipeline-chain.ts)
 * on the same redis-server, in the same run. The daemon matches a fetch's new articles in one job; the chain
 * keeps one match job per article (the shape the daemon had before batches), so it does more queue work. Then latency: a 50-item feed gains one new item, the
 * daemon fetches it, and the time from the feed response to the webhook request is measured, split
 * into the pipeline's steps from the BullMQ job timestamps.
 *
 *   npm run bench -- pipeline [--feeds N] [--items N] [--samples N] [--profile DIR]
 *
 * Default: 100 feeds x 20 new items (2,000 articles), 100 latency samples. --profile DIR writes the
 * daemon's `node --cpu-prof` profile to DIR and prints its top functions by self time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_NAMES, jobIds, type FetchJob } from '../src/queues/queues.js';
import { stateKeys } from '../src/state/keys.js';
import { rss, type FeedItem } from '../test/support/feed-server.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { startRedis } from './redis-server.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const option = (flag: string, fallback: number) => (argv.includes(flag) ? Number(argv[argv.indexOf(flag) + 1]) : fallback);
const FEEDS = option('--feeds', 100);
const ITEMS = option('--items', 20);
const SAMPLES = option('--samples', 100);
const PROFILE = argv.includes('--profile') ? resolve(argv[argv.indexOf('--profile') + 1]!) : undefined;
const LATENCY_FEED_ITEMS = 50;
const PREFIX = 'bench';
const WORD = 'newswatchbench';

const progress = (msg: string) => process.stderr.write(`[pipeline] ${msg}\n`);

// Distinct articles: random words, so no two are one story (stories would hold back alerts).
const random = seededRandom(10);
const VOCABULARY = Array.from({ length: 5_000 }, (_, i) => `w${i.toString(36)}${'aeiou'[i % 5]}`);
const words = (n: number) => Array.from({ length: n }, () => VOCABULARY[Math.floor(random() * VOCABULARY.length)]).join(' ');
let serial = 0;
const item = (published: Date): FeedItem => ({
  guid: `item-${++serial}`,
  title: `${words(8)} ${WORD}`,
  description: `${words(40)} ${WORD} ${words(20)}`,
  pubDate: published,
});

/** Feeds on one loopback server; records when each response was fully written. */
class Feeds {
  readonly items = new Map<string, FeedItem[]>();
  readonly finished: Array<{ feed: string; at: number }> = [];
  private server?: Server;
  port = 0;
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const feed = (req.url ?? '').replace(/^\/|\.xml$/g, '');
      const body = rss(this.items.get(feed) ?? []);
      res.on('finish', () => this.finished.push({ feed, at: Date.now() }));
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server!.address() as AddressInfo).port;
  }
  url = (feed: string) => `http://127.0.0.1:${this.port}/${feed}.xml`;
  stop = () => new Promise((r) => this.server?.close(r));
}

/** The webhook receiver: when each alert (by article id) arrived. */
class Hook {
  readonly arrivals = new Map<string, number>();
  private server?: Server;
  private waiters: Array<() => void> = [];
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = Date.now();
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { article: { id: string } } };
        this.arrivals.set(body.data.article.id, at);
        res.writeHead(200).end();
        for (const w of this.waiters.splice(0)) w();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hook`;
  }
  async until(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.arrivals.size < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.arrivals.size} of ${count} alerts arrived within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }
  stop = () => new Promise((r) => this.server?.close(r));
}

/** Redis commands by name and Redis CPU, so a run's cost can be taken as a difference. */
async function redisCost(redis: Redis): Promise<{ calls: Map<string, number>; cpuMs: number }> {
  const calls = new Map<string, number>();
  for (const m of (await redis.info('commandstats')).matchAll(/cmdstat_(\S+?):calls=(\d+)/g)) calls.set(m[1]!, Number(m[2]));
  const cpu = await redis.info('cpu');
  const sec = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(cpu)![1]);
  return { calls, cpuMs: (sec('used_cpu_user') + sec('used_cpu_sys')) * 1000 };
}

function costSince(before: Awaited<ReturnType<typeof redisCost>>, after: Awaited<ReturnType<typeof redisCost>>) {
  const calls = new Map<string, number>();
  for (const [name, n] of after.calls) {
    const d = n - (before.calls.get(name) ?? 0);
    if (d > 0 && name !== 'info' && name !== 'config|resetstat') calls.set(name, d);
  }
  return { commands: [...calls.values()].reduce((a, b) => a + b, 0), byCommand: calls, cpuMs: after.cpuMs - before.cpuMs };
}

/** utime + stime of a process, in ms (Linux /proc). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function runChain(url: string, prefix: string): Promise<{ ms: number; cpuMs: number }> {
  return new Promise((done, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'bench/pipeline-chain.ts'), url, String(FEEDS), String(ITEMS), prefix],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => (code === 0 ? done(JSON.parse(out)) : reject(new Error(`chain exited ${code}`))));
  });
}

function startDaemon(dir: string, url: string): Promise<ChildProcess> {
  const profile = PROFILE ? ['--cpu-prof', '--cpu-prof-dir', PROFILE] : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'start', '--role', 'fetch,match,deliver', '--config', dir],
    {
      env: { ...process.env, REDIS_URL: url, NEWSWATCH_LOG_JSON: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((done, reject) => {
    let out: string | undefined = '';
    // Info lines (one per fetch and match) are read and dropped once the daemon is up.
    child.stdout!.on('data', (c: Buffer) => {
      if (out === undefined) return;
      out += c.toString();
      if (out.includes('newswatch started')) {
        out = undefined;
        done(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`daemon exited ${code}:\n${out?.slice(-2_000)}`)));
  });
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};
const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** Top functions of a V8 CPU profile by self time. */
function topFunctions(file: string, n: number): Array<{ name: string; pct: number }> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!;
    if (frame.functionName === '(idle)') return;
    const where = frame.url
      ? `${frame.url.replace(/^.*node_modules\//, '').replace(`file://${repoRoot}`, '')}:${frame.lineNumber + 1}`
      : '';
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(name, (self.get(name) ?? 0) + dt);
    total += dt;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, t]) => ({ name, pct: (100 * t) / total }));
}

const redisServer = await startRedis();
const redis = new Redis(redisServer.url);
const feeds = new Feeds();
const hook = new Hook();
await feeds.start();
const hookUrl = await hook.start();
const feedIds = Array.from({ length: FEEDS }, (_, i) => `feed-${i}`);
const dir = mkdtempSync(join(os.tmpdir(), 'newswatch-bench-pipeline-'));
writeFileSync(
  join(dir, 'feeds.yaml'),
  `feeds:\n${[...feedIds, 'latency'].map((id) => `  - { id: ${id}, url: "${feeds.url(id)}", interval: 1h }`).join('\n')}\n`,
);
writeFileSync(join(dir, 'channels.yaml'), `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n`);
writeFileSync(
  join(dir, 'settings.yaml'),
  `redis: { prefix: ${PREFIX} }\nfeeds: { per_host_gap: 0s, per_host_concurrency: 64 }\nhttp: { listen: "off" }\n`,
);
mkdirSync(join(dir, 'rules'));
writeFileSync(join(dir, 'rules/all.yaml'), `rules:\n  - id: all\n    name: Every article\n    query: ${WORD}\n    channels: [hook]\n`);

const total = FEEDS * ITEMS;
const now = new Date();
for (const id of feedIds)
  feeds.items.set(
    id,
    Array.from({ length: ITEMS }, () => item(now)),
  );
// The latency feed starts with 50 old items: its first fetch files them as history, quietly.
feeds.items.set(
  'latency',
  Array.from({ length: LATENCY_FEED_ITEMS }, () => item(new Date(Date.now() - 3 * 86_400_000))),
);

/** One run of the bare chain, under its own prefix. */
async function measureChain(run: number) {
  progress(`bare BullMQ chain, run ${run}: ${FEEDS} fetch jobs x ${ITEMS} items`);
  const before = await redisCost(redis);
  const { ms, cpuMs } = await runChain(redisServer.url, `chain-${run}`);
  return { ms, cpuMs, cost: costSince(before, await redisCost(redis)) };
}
const chainRuns = [await measureChain(1)];

progress('daemon: starting');
const daemon = await startDaemon(dir, redisServer.url);
// A run that fails part-way must not leave the daemon running.
process.on('exit', () => daemon.exitCode === null && daemon.kill('SIGKILL'));
const fetchQueue = new Queue<FetchJob>(QUEUE_NAMES.fetch, { connection: redis, prefix: PREFIX });
const daemonBefore = await redisCost(redis);
const daemonCpuBefore = processCpuMs(daemon.pid!);
const started = Date.now();
progress(`daemon: ${FEEDS} feeds x ${ITEMS} new items`);
await fetchQueue.addBulk(feedIds.map((feedId) => ({ name: 'fetch', data: { feedId, slot: 1 }, opts: { jobId: jobIds.fetch(feedId, 1) } })));
await hook.until(total, 600_000);
const daemonMs = Date.now() - started;
const daemonCpuMs = processCpuMs(daemon.pid!) - daemonCpuBefore;
const daemonCost = costSince(daemonBefore, await redisCost(redis));
// The chain again, after the daemon (idle now): a load that drifts during the run moves both sides alike.
chainRuns.push(await measureChain(2));
const mean = (f: (run: (typeof chainRuns)[number]) => number) => chainRuns.reduce((sum, run) => sum + f(run), 0) / chainRuns.length;
const chain = { ms: mean((r) => r.ms), cpuMs: mean((r) => r.cpuMs) };
const chainCost = { commands: mean((r) => r.cost.commands), cpuMs: mean((r) => r.cost.cpuMs) };

progress(`latency: ${SAMPLES} single new items in a ${LATENCY_FEED_ITEMS}-item feed`);
await fetchQueue.add('fetch', { feedId: 'latency', slot: 1 }, { jobId: jobIds.fetch('latency', 1) });
await new Promise<void>((r) => {
  const check = () => (feeds.finished.some((f) => f.feed === 'latency') ? setTimeout(r, 500) : setTimeout(check, 50));
  check();
});
const latencies: number[] = [];
const steps: Record<string, number[]> = {
  'fetch job (response -> article job queued)': [],
  'article wait': [],
  'match job, routing included (until the delivery job is queued)': [],
  'delivery wait': [],
  'delivery job until the receiver has it': [],
};
const jobTimes = async (queue: string, id: string) => {
  const [timestamp, processedOn, finishedOn] = await redis.hmget(`${PREFIX}:${queue}:${id}`, 'timestamp', 'processedOn', 'finishedOn');
  return { added: Number(timestamp), started: Number(processedOn), finished: Number(finishedOn) };
};
for (let s = 0; s < SAMPLES; s++) {
  const fresh = item(new Date());
  const list = feeds.items.get('latency')!;
  feeds.items.set('latency', [fresh, ...list.slice(0, LATENCY_FEED_ITEMS - 1)]);
  const before = hook.arrivals.size;
  // Each sample stands for the feed's next slot: a fetch claims the slot it happens in (1 h here).
  await redis.del(stateKeys(PREFIX).feedClaim('latency'));
  await fetchQueue.add('fetch', { feedId: 'latency', slot: 2 + s }, { jobId: jobIds.fetch('latency', 2 + s) });
  await hook.until(before + 1, 30_000);
  const responded = feeds.finished.filter((f) => f.feed === 'latency').at(-1)!.at;
  const [articleId, arrived] = [...hook.arrivals.entries()].at(-1)!;
  latencies.push(arrived - responded);
  const article = await jobTimes(QUEUE_NAMES.articles, jobIds.article(articleId));
  const delivery = await jobTimes(QUEUE_NAMES.deliveries, jobIds.delivery(jobIds.alert('all', articleId), 'hook'));
  const parts = [
    article.added - responded,
    article.started - article.added,
    delivery.added - article.started,
    delivery.started - delivery.added,
    arrived - delivery.started,
  ];
  Object.values(steps).forEach((list, i) => list.push(parts[i]!));
}

daemon.kill('SIGTERM');
await new Promise((r) => daemon.once('exit', r));
await fetchQueue.close();
redis.disconnect();
redisServer.child.kill('SIGTERM');
await Promise.all([feeds.stop(), hook.stop()]);

const chainRate = total / (chain.ms / 1000);
const daemonRate = total / (daemonMs / 1000);
const perArticle = (n: number) => n / total;
const topCommands = [...daemonCost.byCommand.entries()]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 8)
  .map(([c, n]) => `${c} ${fmt(perArticle(n))}`)
  .join(', ');
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');

const lines = [
  `## Pipeline (fetch -> match -> deliver)`,
  ``,
  `Command: \`npm run bench -- pipeline --feeds ${FEEDS} --items ${ITEMS} --samples ${SAMPLES}${PROFILE ? ' --profile DIR' : ''}\`. ${total} distinct articles, one rule matching each, loopback webhook; the`,
  `daemon and the chain each in their own process on the same redis-server, the chain before and after the daemon (its row is the mean of both runs: ${chainRuns.map((r) => fmt(total / (r.ms / 1000), 0)).join(' and ')} articles/s). Load average at the end: ${load} (${os.cpus().length} cores).`,
  ``,
  `| | articles/s | CPU ms/article (process) | Redis CPU ms/article | Redis commands/article |`,
  `|---|---:|---:|---:|---:|`,
  `| bare BullMQ chain (3 queues, no-op) | ${fmt(chainRate, 0)} | ${fmt(chain.cpuMs / total, 2)} | ${fmt(chainCost.cpuMs / total, 2)} | ${fmt(perArticle(chainCost.commands))} |`,
  `| newswatch daemon | ${fmt(daemonRate, 0)} | ${fmt(daemonCpuMs / total, 2)} | ${fmt(daemonCost.cpuMs / total, 2)} | ${fmt(perArticle(daemonCost.commands))} |`,
  `| **daemon / chain** | **${fmt(daemonRate / chainRate, 2)}x** (goal >= 0.5) | ${fmt(daemonCpuMs / chain.cpuMs, 2)}x | ${fmt(daemonCost.cpuMs / chainCost.cpuMs, 2)}x | **${fmt(daemonCost.commands / chainCost.commands, 2)}x** (goal <= 2) |`,
  ``,
  `Daemon commands per article, most frequent: ${topCommands}.`,
  ``,
  `Jobs: the daemon matches each fetch's new articles in one job (${ITEMS} articles here), the chain queues one match job per article; both queue one delivery job per article.`,
  ``,
  `Latency, feed response written -> webhook received, ${SAMPLES} samples of one new item in a ${LATENCY_FEED_ITEMS}-item feed: p50 ${fmt(quantile(latencies, 0.5), 0)} ms, p90 ${fmt(quantile(latencies, 0.9), 0)} ms, p99 ${fmt(quantile(latencies, 0.99), 0)} ms (goal p99 <= 50 ms).`,
  ``,
  `| step (from BullMQ job timestamps) | p50 ms | p99 ms |`,
  `|---|---:|---:|`,
  ...Object.entries(steps).map(([name, values]) => `| ${name} | ${fmt(quantile(values, 0.5), 0)} | ${fmt(quantile(values, 0.99), 0)} |`),
];
if (PROFILE) {
  // tsx's loader thread writes a profile of its own: the daemon's main thread is the largest one.
  const file = readdirSync(PROFILE)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(join(PROFILE, b)).size - statSync(join(PROFILE, a)).size)[0];
  if (file)
    lines.push(
      '',
      `Daemon CPU profile (\`node --cpu-prof\`, whole run), top functions by self time (share of busy samples, idle left out):`,
      '',
      '| self % | function |',
      '|---:|---|',
      ...topFunctions(join(PROFILE, file), 15).map((f) => `| ${fmt(f.pct)} | \`${f.name}\` |`),
    );
}
process.stdout.write(`${lines.join('\n')}\n`);
