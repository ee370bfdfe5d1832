/**
 * Ingestion benchmark: the real scheduler + fetch roles (a child process, so its CPU and memory are
 * its own) against a private redis-server and loopback sites simulating 10,000 feeds, then a naive
 * baseline (sequential rss-parser parseURL, no conditional GET) against the same sites.
 *
 *   npx tsx bench/ingest.ts [--quick] [--duration S] [--feeds N] [--sites N] [--interval S]
 *                           [--concurrency N] [--fetchers N] [--restart] [--naive-seconds S] [--trace FILE.json]
 *                           [--heap-mb N]
 *   npm run bench -- ingest [same options]
 *
 * Default: 10,000 feeds on 100 sites, 5-minute interval, 300 s run (about 6 minutes in all).
 * --quick: 2,000 feeds on 100 sites, 1-minute interval, 120 s run (the same 33 fetches/s).
 * --fetchers N: N daemon processes (the first runs scheduler + fetch, the others fetch only).
 * --restart: Redis holds what a running deployment left (every feed fetched in its current slot,
 *   validators kept), so the run measures steady state from the start instead of a first-start catch-up.
 *   It is seeded once the fetch-only processes are up, just before the scheduler process starts.
 * --naive-seconds 0: no naive baseline.
 * --heap-mb N: run the daemons with node --max-old-space-size=N, as README advises for big feed lists
 *   (V8 otherwise lets garbage pile up to several times the live set before a full collection).
 * Politeness caps each site at one request per second (per_host_gap), so keep feeds per site / interval
 * well under 1 (100 feeds per site at 300 s is 0.33/s); more feeds per site cannot all be on time.
 *
 * Issue 10 target 4, 100,000 feeds at 5 minutes (333 fetches/s), for a quiet machine (about 13 minutes):
 *   npm run bench -- ingest --feeds 100000 --sites 1000 --interval 300 --fetchers 3 --restart --duration 360 --naive-seconds 0 --heap-mb 160
 * The same per-site rate at a load a shared machine can take (100,000 feeds loaded, 67 fetches/s):
 *   npm run bench -- ingest --feeds 100000 --sites 1000 --interval 1500 --fetchers 3 --restart --duration 300 --naive-seconds 0
 * Printed: slots due vs fetched (and fetched twice), lateness p50/p99/max, CPU per process and in all
 * (and redis-server's), peak RSS per process, the process count, load average, feed-list loading cost.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { fetchClaim } from '../src/feeds/poll-policy.js';
import { currentSlot } from '../src/schedule/slots.js';
import { stateKeys } from '../src/state/keys.js';
import type { ChildMessage, LoadResult, NaivePlan, NaiveResult, ProcessSample } from './ingest-child.js';
import { startRedis } from './redis-server.js';
import { behaviourOf, feedId, FeedSites, type SiteRequest } from './ingest-sites.js';

interface Options {
  feeds: number;
  sites: number;
  intervalS: number;
  durationS: number;
  /** settings.concurrency.fetch; undefined keeps the shipped default. */
  concurrency?: number;
  naiveSeconds: number;
  quick: boolean;
  fetchers: number;
  restart: boolean;
  /** Where to write the raw samples and request log as JSON, for a closer look. */
  trace?: string;
  /** --max-old-space-size for the daemon processes (MB); undefined keeps V8's default. */
  heapMb?: number;
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const opts: Options = quick
    ? { feeds: 2_000, sites: 100, intervalS: 60, durationS: 120, naiveSeconds: 20, quick, fetchers: 1, restart: false }
    : { feeds: 10_000, sites: 100, intervalS: 300, durationS: 300, naiveSeconds: 30, quick, fetchers: 1, restart: false };
  const number = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = Number(argv[i + 1]);
    if (!Number.isFinite(v) || v < 0 || (v === 0 && flag !== '--naive-seconds')) throw new Error(`${flag} needs a positive number`);
    return v;
  };
  opts.feeds = number('--feeds') ?? opts.feeds;
  opts.sites = number('--sites') ?? opts.sites;
  opts.intervalS = number('--interval') ?? opts.intervalS;
  opts.durationS = number('--duration') ?? opts.durationS;
  opts.concurrency = number('--concurrency');
  opts.naiveSeconds = number('--naive-seconds') ?? opts.naiveSeconds;
  opts.fetchers = number('--fetchers') ?? opts.fetchers;
  opts.restart = argv.includes('--restart');
  opts.heapMb = number('--heap-mb');
  const trace = argv.indexOf('--trace');
  if (trace >= 0) opts.trace = argv[trace + 1];
  return opts;
}

const REDIS_PREFIX = 'bench';
const FEEDS_PER_FILE = 10_000;
const FETCH_TIMEOUT_S = 20;
const HEALTHY = new Set(['static', 'fresh', 'slow']);

function writeConfig(sites: FeedSites, opts: Options): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'newswatch-bench-ingest-'));
  const feeds = Array.from(
    { length: opts.feeds },
    (_, i) => `  - { id: ${feedId(i)}, url: "${sites.url(i)}", interval: ${opts.intervalS}s }`,
  );
  // Large lists as a feeds directory, 10,000 a file, as a big deployment would keep them.
  mkdirSync(join(dir, 'feeds'));
  for (let from = 0; from < feeds.length; from += FEEDS_PER_FILE) {
    writeFileSync(
      join(dir, 'feeds', `part-${String(from / FEEDS_PER_FILE).padStart(3, '0')}.yaml`),
      `feeds:\n${feeds.slice(from, from + FEEDS_PER_FILE).join('\n')}\n`,
    );
  }
  const concurrency = opts.concurrency ? `concurrency: { fetch: ${opts.concurrency} }\n` : '';
  writeFileSync(join(dir, 'channels.yaml'), 'channels: []\n');
  writeFileSync(join(dir, 'settings.yaml'), `redis: { prefix: ${REDIS_PREFIX} }\nfeeds: { timeout: ${FETCH_TIMEOUT_S}s }\n${concurrency}`);
  return dir;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Compiles the child (and the daemon code it imports) with tsc into `dir`; returns the entry file. */
function compileChild(dir: string): string {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(repoRoot, 'tsconfig.json'),
      compilerOptions: { noEmit: false, sourceMap: false, rootDir: repoRoot, outDir: join(dir, 'out') },
      include: [join(repoRoot, 'bench/ingest-child.ts'), join(repoRoot, 'src/types')],
    }),
  );
  // Bare imports resolve through the repo's node_modules; the output is ESM like the repo.
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  const entry = join(dir, 'out/bench/ingest-child.js');
  if (!existsSync(entry)) throw new Error(`cannot compile bench/ingest-child.ts:\n${result.stdout}${result.stderr}`);
  // The Lua scripts the state modules load at run time sit beside them, as `npm run build` copies them.
  cpSync(join(repoRoot, 'src/state/lua'), join(dir, 'out/src/state/lua'), { recursive: true });
  // Type errors elsewhere in the tree (work in progress) still emit JavaScript: say so, carry on.
  if (result.status !== 0) progress(`tsc reported type errors (code still emitted):\n${result.stdout.slice(0, 2_000)}`);
  return entry;
}

function startChild(entry: string, args: string[], onMessage: (m: ChildMessage) => void, nodeFlags: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags, entry, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.on('message', (m) => onMessage(m as ChildMessage));
  return child;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));

/** Bytes per category of key, by MEMORY USAGE of every key under the prefix. */
async function redisBreakdown(redis: Redis): Promise<Map<string, { keys: number; bytes: number }>> {
  const categories = new Map<string, { keys: number; bytes: number }>();
  const categoryOf = (key: string) => {
    const [, kind, rest = ''] = key.split(':');
    if (kind === 'fetch' && rest.startsWith('fetch-')) return 'fetch job hashes';
    if (kind === 'fetch' && rest === 'de') return 'fetch deduplication keys (one per feed and slot)';
    if (kind === 'fetch' && rest === 'events') return 'fetch events stream (capped)';
    if (kind === 'fetch') return 'fetch queue lists and sets';
    if (kind === 'feed' && key.endsWith(':seen')) return 'seen-item keys';
    if (kind === 'feed') return 'feed state hashes';
    if (kind === 'feed-claim') return 'feed slot claims';
    if (kind === 'seen') return 'seen-item keys';
    if (kind === 'articles') return 'articles queue (waiting for match)';
    return `other (${kind})`;
  };
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}:*`, 'COUNT', 2_000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    const sizes = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const c = categories.get(categoryOf(key)) ?? { keys: 0, bytes: 0 };
      c.keys++;
      c.bytes += Number(sizes[i]?.[1] ?? 0);
      categories.set(categoryOf(key), c);
    });
  } while (cursor !== '0');
  return categories;
}

const usedMemory = async (redis: Redis) => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);

/** CPU seconds redis-server has used so far (user + system). */
async function redisCpuS(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  return ['used_cpu_user', 'used_cpu_sys'].reduce((sum, field) => sum + Number(new RegExp(`${field}:([\\d.]+)`).exec(info)?.[1] ?? 0), 0);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface SlotStats {
  due: number;
  fetched: number;
  /** Slots with more than one request (any feed): must be none. */
  doubles: number;
  lateness: number[];
}

/**
 * For every healthy feed, the slots that began in [from, to - grace]: whether a request arrived
 * within the slot, and how long after its start the first one did.
 */
function slotStats(requests: SiteRequest[], opts: Options, from: number, to: number, graceMs: number): SlotStats {
  const intervalMs = opts.intervalS * 1000;
  const firstInSlot = new Map<string, number>();
  let doubles = 0;
  for (const r of requests) {
    if (r.at < from || r.at > to) continue;
    const key = `${r.feed}:${currentSlot(feedId(r.feed), intervalMs, r.at)}`;
    if (!firstInSlot.has(key)) firstInSlot.set(key, r.at);
    else doubles++;
  }
  const stats: SlotStats = { due: 0, fetched: 0, doubles, lateness: [] };
  for (let feed = 0; feed < opts.feeds; feed++) {
    if (!HEALTHY.has(behaviourOf(feed))) continue;
    let slot = currentSlot(feedId(feed), intervalMs, from);
    if (slot < from) slot += intervalMs;
    for (; slot <= to - graceMs; slot += intervalMs) {
      stats.due++;
      const at = firstInSlot.get(`${feed}:${slot}`);
      if (at === undefined) continue;
      stats.fetched++;
      stats.lateness.push(at - slot);
    }
  }
  stats.lateness.sort((a, b) => a - b);
  return stats;
}

/** The last sample taken at or before `at` (the first one if none). */
function sampleAt(samples: ProcessSample[], at: number): ProcessSample {
  let best = samples[0]!;
  for (const s of samples) if (s.at <= at) best = s;
  return best;
}

const fmt = (n: number, digits = 1) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
const progress = (line: string) => process.stderr.write(`[ingest] ${line}\n`);

/** Everything the run starts, stopped in reverse order whatever happens. */
const cleanups: Array<() => unknown> = [];
async function cleanUp(): Promise<void> {
  for (const step of cleanups.reverse()) await step();
  cleanups.length = 0;
}

/**
 * What a deployment that ran until a moment ago leaves in Redis: every feed fetched in its current
 * slot (its claim), and the healthy static ones with the validators of their last answer.
 */
async function seedRestart(redis: Redis, opts: Options): Promise<void> {
  const keys = stateKeys(REDIS_PREFIX);
  const now = Date.now();
  for (let from = 0; from < opts.feeds; from += 5_000) {
    const pipeline = redis.pipeline();
    for (let i = from; i < Math.min(opts.feeds, from + 5_000); i++) {
      const claim = fetchClaim({ id: feedId(i), interval: opts.intervalS * 1000 }, now);
      pipeline.set(keys.feedClaim(feedId(i)), claim.slot, 'PX', claim.ttlMs);
      // Fresh feeds keep no state, so their first fetch seeds history quietly as on a first start.
      if (behaviourOf(i) === 'static' || behaviourOf(i) === 'slow') {
        pipeline.hset(keys.feed(feedId(i)), {
          etag: `"f${i}-v0"`,
          lastSuccess: now,
          lastAttempt: now,
          lastStatus: 200,
          consecutiveFailures: 0,
        });
      }
    }
    await pipeline.exec();
  }
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const redisServer = await startRedis();
  cleanups.push(() => redisServer.child.kill('SIGTERM'));
  const sites = new FeedSites(opts.feeds, opts.sites);
  await sites.start();
  cleanups.push(() => sites.stop());
  const configDir = writeConfig(sites, opts);
  cleanups.push(() => rmSync(configDir, { recursive: true, force: true }));
  const childEntry = compileChild(configDir);
  // Connected only now: compiling blocks this process for a while, long enough for a connect to time out.
  const redis = new Redis(redisServer.url);
  cleanups.push(() => redis.disconnect());
  const logFile = join(configDir, 'daemon.log');
  const memoryBefore = await usedMemory(redis);

  // What loading the feed lists costs, alone in a process of its own.
  let loading: LoadResult | undefined;
  const loader = startChild(childEntry, ['load', configDir], (m) => m.type === 'load' && (loading = m.result), ['--expose-gc']);
  cleanups.push(() => loader.kill('SIGKILL'));
  await exited(loader);
  if (!loading) throw new Error('the config loading child did not report');
  progress(`loading ${opts.feeds} feeds: ${fmt(loading.ms / 1000, 2)} s, ${fmt(loading.heapBytes / 2 ** 20)} MB of heap kept`);

  // The real daemon roles: the first process schedules and fetches, the others fetch.
  const spawnedAt = Date.now();
  const spawnDaemon = (k: number) => {
    const samples: ProcessSample[] = [];
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const roles = k === 0 ? 'scheduler,fetch' : 'fetch';
    const child = startChild(
      childEntry,
      ['daemon', configDir, redisServer.url, `${logFile}.${k}`, roles],
      (m) => {
        if (m.type === 'sample') samples.push(m.sample);
        if (m.type === 'ready') ready();
      },
      opts.heapMb ? [`--max-old-space-size=${opts.heapMb}`] : [],
    );
    cleanups.push(() => child.kill('SIGKILL'));
    return {
      child,
      samples,
      roles,
      ready: Promise.race([isReady, exited(child).then(() => Promise.reject(new Error('daemon child exited before it was ready')))]),
    };
  };
  // Fetch processes first, so the scheduler's first jobs find workers; the restart state is seeded
  // only then, just before the scheduler starts, so that slot claims do not lapse while processes load
  // their feed lists (the 100,000-feed attempt lost a third of them that way and began with a backlog).
  const fetchOnly = Array.from({ length: opts.fetchers - 1 }, (_, k) => spawnDaemon(k + 1));
  await Promise.all(fetchOnly.map((d) => d.ready));
  if (opts.restart) await seedRestart(redis, opts);
  const daemons = [spawnDaemon(0), ...fetchOnly];
  await daemons[0]!.ready;
  const startedAt = Date.now();
  const redisCpuAtStart = await redisCpuS(redis);
  const cpuNow = () => daemons.reduce((sum, d) => sum + (d.samples.at(-1)?.cpuUs ?? 0), 0);
  progress(
    `${opts.fetchers} daemon process(es) ready in ${((startedAt - spawnedAt) / 1000).toFixed(1)} s; running ${opts.durationS} s with ${opts.feeds} feeds on ${opts.sites} sites every ${opts.intervalS} s`,
  );
  const ticker = setInterval(() => {
    const rss = daemons.map((d) => fmt((d.samples.at(-1)?.rss ?? 0) / 2 ** 20)).join(' / ');
    progress(
      `${Math.round((Date.now() - startedAt) / 1000)} s: ${sites.requests.length} requests, CPU ${fmt(cpuNow() / 1e6)} s, RSS ${rss} MB, load ${os.loadavg()[0]?.toFixed(1)}`,
    );
  }, 30_000);
  await new Promise((r) => setTimeout(r, opts.durationS * 1000));
  clearInterval(ticker);
  const endedAt = Date.now();
  const requests = sites.requests.filter((r) => r.at <= endedAt);
  const loadAtEnd = os.loadavg();
  const redisCpu = (await redisCpuS(redis)) - redisCpuAtStart;
  if (opts.trace)
    writeFileSync(opts.trace, JSON.stringify({ opts, spawnedAt, startedAt, endedAt, samples: daemons.map((d) => d.samples), requests }));
  const memoryAfter = await usedMemory(redis);
  for (const d of daemons) d.child.send({ type: 'stop' });
  await Promise.all(daemons.map((d) => exited(d.child)));
  const breakdown = await redisBreakdown(redis);

  // The naive baseline, alone, against the same sites. Hanging feeds are left out of its loop (each
  // would stall it for the whole timeout) and added back in the projection of one pass.
  // --naive-seconds 0 leaves it out.
  const naiveFeeds = Array.from({ length: opts.feeds }, (_, i) => i).filter((i) => behaviourOf(i) !== 'hang');
  let naive: NaiveResult | undefined;
  if (opts.naiveSeconds > 0) {
    const planFile = join(configDir, 'naive.json');
    writeFileSync(
      planFile,
      JSON.stringify({
        urls: naiveFeeds.map((i) => sites.url(i)),
        seconds: opts.naiveSeconds,
        timeoutMs: FETCH_TIMEOUT_S * 1000,
      } satisfies NaivePlan),
    );
    progress(`naive baseline for ${opts.naiveSeconds} s`);
    const naiveChild = startChild(childEntry, ['naive', planFile], (m) => {
      if (m.type === 'naive') naive = m.result;
    });
    cleanups.push(() => naiveChild.kill('SIGKILL'));
    await exited(naiveChild);
    if (!naive) throw new Error('naive baseline did not report');
  }
  await cleanUp();

  // Catch-up: the first start finds every feed due at once; steady state begins once all were fetched.
  const firstRequest = new Map<number, number>();
  for (const r of requests) if (!firstRequest.has(r.feed)) firstRequest.set(r.feed, r.at);
  const healthyFeeds = Array.from({ length: opts.feeds }, (_, i) => i).filter((i) => HEALTHY.has(behaviourOf(i)));
  const allFirst = healthyFeeds.every((i) => firstRequest.has(i));
  // After --restart nothing is owed: steady state from the start.
  const catchUpEnd = opts.restart
    ? startedAt
    : allFirst
      ? healthyFeeds.reduce((max, i) => Math.max(max, firstRequest.get(i)!), 0)
      : endedAt;
  const graceMs = 10_000;
  const steady = slotStats(requests, opts, catchUpEnd, endedAt, graceMs);
  const inRun = slotStats(requests, opts, startedAt, endedAt, graceMs);
  // Without the start itself (processes loading, the scheduler's first plan): how the run settles.
  const SETTLE_MS = 30_000;
  const settled = slotStats(requests, opts, catchUpEnd + SETTLE_MS, endedAt, graceMs);

  // CPU summed over the daemon processes, up to the end of the run (they fetch on while Redis is read
  // afterwards); time spans from the scheduling process's samples.
  const sumCpu = (pick: (samples: ProcessSample[]) => ProcessSample) => daemons.reduce((sum, d) => sum + pick(d.samples).cpuUs, 0);
  const lead = daemons[0]!.samples;
  const atEnd = (samples: ProcessSample[]) => sampleAt(samples, endedAt);
  const last = atEnd(lead);
  const atCatchUp = sampleAt(lead, catchUpEnd);
  const steadyRequests = requests.filter((r) => r.at >= atCatchUp.at && r.at <= last.at).length;
  const steadyCpuS = (sumCpu(atEnd) - sumCpu((s) => sampleAt(s, catchUpEnd))) / 1e6;
  const catchUpCpuS = (sumCpu((s) => sampleAt(s, catchUpEnd)) - sumCpu((s) => s[0]!)) / 1e6;
  const steadyWallS = (last.at - atCatchUp.at) / 1000;
  const totalCpuS = sumCpu(atEnd) / 1e6;
  const totalWallS = (last.at - spawnedAt) / 1000;
  const peakRssEach = daemons.map((d) => d.samples.reduce((max, s) => Math.max(max, s.maxRss), 0));
  const peakRss = Math.max(...peakRssEach);
  const delta = memoryAfter - memoryBefore;
  const seen = breakdown.get('seen-item keys') ?? { keys: 0, bytes: 0 };
  const perFeed = (delta - seen.bytes) / opts.feeds;
  const dueRate = healthyFeeds.length / opts.intervalS;
  const p99 = percentile(steady.lateness, 99) / 1000;
  const steadyCpuPer1000 = (steadyCpuS / steadyRequests) * 1000;
  const steadyRate = steadyRequests / steadyWallS;
  const catchUpS = (catchUpEnd - startedAt) / 1000;
  const catchUpRequests = requests.filter((r) => r.at <= catchUpEnd).length;
  const ok = (pass: boolean) => (pass ? 'yes' : '**no**');
  // Issue 10: 10,000 feeds in one process within half a core and 200 MB; 100,000 with as many processes
  // as needed within one core in all and 300 MB each.
  const large = opts.feeds >= 100_000;
  const coresGoal = large ? 1 : 0.5;
  const rssGoalMb = large ? 300 : 200;

  const behaviours = new Map<string, number>();
  for (let i = 0; i < opts.feeds; i++) behaviours.set(behaviourOf(i), (behaviours.get(behaviourOf(i)) ?? 0) + 1);
  const coresSteady = steadyCpuS / steadyWallS;
  const coresWhole = totalCpuS / totalWallS;
  console.log(`## Ingestion at ${opts.feeds.toLocaleString('en-US')} feeds${opts.quick ? ' (--quick)' : ''}\n`);
  console.log(
    `${opts.feeds} feeds on ${opts.sites} loopback sites (${[...behaviours].map(([b, n]) => `${n} ${b}`).join(', ')}), interval ${opts.intervalS} s, ` +
      `run ${opts.durationS} s; ${daemons.map((d) => d.roles).join(' | ')} in ${opts.fetchers} child process(es) (node ${process.version}, code compiled by tsc), concurrency.fetch ${opts.concurrency ?? 'default (32)'} each, ` +
      `per-host limits default (kept in Redis); feed lists in feeds/*.yaml, ${FEEDS_PER_FILE} a file; private redis-server; ${os.cpus().length} cores, load average at end ${loadAtEnd.map((l) => l.toFixed(1)).join(' ')} (1/5/15 min).\n`,
  );
  if (opts.restart)
    console.log(
      'Restart: Redis held every feed as fetched in its current slot (with validators), seeded once the fetch-only processes were up and just before the scheduler process started, so the whole run is steady state.',
    );
  else
    console.log(
      `First start: every feed is due at once. Catch-up (first fetch of every healthy feed) took ${fmt(catchUpS)} s for ${catchUpRequests} requests (${fmt(catchUpRequests / catchUpS)}/s).`,
    );
  console.log(
    `Steady state: ${fmt(steadyWallS)} s, ${steady.due} slots due, ${steady.due - steady.fetched} missed. Peak RSS per process: ${peakRssEach.map((b) => fmt(b / 2 ** 20)).join(' / ')} MB.\n`,
  );
  console.log('| measure | steady state | whole run | target | met |');
  console.log('|---|---:|---:|---:|:---:|');
  console.log(
    `| fetches/s achieved (due: ${fmt(dueRate)}/s) | ${fmt(steadyRate)} | ${fmt(requests.length / ((endedAt - startedAt) / 1000))} | all due, on time | ${ok(steady.due > 0 && steady.fetched === steady.due)} |`,
  );
  console.log(
    `| slots due / fetched within their slot | ${steady.due} / ${steady.fetched} | ${inRun.due} / ${inRun.fetched} | all | ${ok(steady.due > 0 && steady.fetched === steady.due)} |`,
  );
  console.log(`| slots fetched more than once (extra requests) | ${steady.doubles} | ${inRun.doubles} | 0 | ${ok(inRun.doubles === 0)} |`);
  console.log(
    `| lateness p50 s | ${fmt(percentile(steady.lateness, 50) / 1000, 2)} | ${fmt(percentile(inRun.lateness, 50) / 1000, 2)} | | |`,
  );
  console.log(
    `| lateness p99 s | ${fmt(p99, 2)} | ${fmt(percentile(inRun.lateness, 99) / 1000, 2)} | < 5 | ${ok(steady.due > 0 && p99 < 5)} |`,
  );
  console.log(
    `| lateness p99 s, slots from ${SETTLE_MS / 1000} s into steady state on (${settled.due} due, ${settled.due - settled.fetched} missed) | ${fmt(percentile(settled.lateness, 99) / 1000, 2)} | | (extra) | |`,
  );
  console.log(
    `| lateness max s | ${fmt(percentile(steady.lateness, 100) / 1000, 2)} | ${fmt(percentile(inRun.lateness, 100) / 1000, 2)} | | |`,
  );
  console.log(`| CPU s per 1,000 fetches | ${fmt(steadyCpuPer1000, 2)} | ${fmt((totalCpuS / requests.length) * 1000, 2)} | | |`);
  console.log(
    `| average cores, all ${opts.fetchers} daemon processes | ${fmt(coresSteady, 3)} | ${fmt(coresWhole, 3)} | < ${coresGoal} | ${ok(coresSteady < coresGoal && coresWhole < coresGoal)} |`,
  );
  console.log(`| average cores, redis-server (extra; not a daemon process) | | ${fmt(redisCpu / ((endedAt - startedAt) / 1000), 3)} | | |`);
  console.log(`| peak RSS MB, largest process | | ${fmt(peakRss / 2 ** 20)} | < ${rssGoalMb} | ${ok(peakRss < rssGoalMb * 2 ** 20)} |`);
  console.log(
    `| feed lists loaded alone: heap kept MB per 10,000 feeds (load time s) | | ${fmt((loading.heapBytes / 2 ** 20 / opts.feeds) * 10_000)} (${fmt(loading.ms / 1000, 2)}) | < 58 | ${ok((loading.heapBytes / 2 ** 20 / opts.feeds) * 10_000 < 58)} |`,
  );
  console.log(
    `| Redis bytes per feed (used_memory delta less seen keys, / feeds) | | ${fmt(perFeed, 0)} | < 2,048 | ${ok(perFeed < 2048)} |`,
  );
  console.log(
    `| seen-item keys | | ${seen.keys} keys, ${fmt(seen.bytes / Math.max(1, seen.keys), 0)} B each, ${fmt(seen.bytes / opts.feeds, 0)} B per feed | (extra) | |`,
  );
  console.log(
    '\nPer process (CPU and RSS from 1 s samples inside each; the load alone: peak RSS of a process that only loads the config):\n',
  );
  console.log('| process | roles | CPU s | average cores (whole run) | RSS MB at end | peak RSS MB |');
  console.log('|---|---|---:|---:|---:|---:|');
  daemons.forEach((d, k) => {
    const end = atEnd(d.samples);
    console.log(
      `| ${k} | ${d.roles} | ${fmt(end.cpuUs / 1e6)} | ${fmt(end.cpuUs / 1e6 / totalWallS, 3)} | ${fmt(end.rss / 2 ** 20)} | ${fmt(peakRssEach[k]! / 2 ** 20)} |`,
    );
  });
  console.log(
    `| load | (config only: ${loading.feeds} feeds) | | | ${fmt(loading.rssBytes / 2 ** 20)} (delta) | ${fmt(loading.peakRss / 2 ** 20)} |`,
  );
  console.log(
    `\nRedis used_memory ${fmt(memoryBefore / 2 ** 20, 2)} MB before, ${fmt(memoryAfter / 2 ** 20, 2)} MB after. By key (MEMORY USAGE):\n`,
  );
  console.log('| keys | count | bytes | bytes per feed |');
  console.log('|---|---:|---:|---:|');
  for (const [name, c] of [...breakdown].sort((a, b) => b[1].bytes - a[1].bytes)) {
    console.log(`| ${name} | ${c.keys} | ${c.bytes.toLocaleString('en-US')} | ${fmt(c.bytes / opts.feeds, 0)} |`);
  }
  if (naive)
    printNaive(naive, {
      opts,
      hangs: opts.feeds - naiveFeeds.length,
      naiveFeeds: naiveFeeds.length,
      steadyRate,
      steadyCpuPer1000,
      catchUp: opts.restart ? undefined : { rate: catchUpRequests / catchUpS, cpuPer1000: (catchUpCpuS / catchUpRequests) * 1000 },
    });
  console.log('');
}

function printNaive(
  naive: NaiveResult,
  run: {
    opts: Options;
    hangs: number;
    naiveFeeds: number;
    steadyRate: number;
    steadyCpuPer1000: number;
    catchUp?: { rate: number; cpuPer1000: number };
  },
): void {
  const { opts, hangs } = run;
  const naiveRate = naive.fetches / (naive.wallMs / 1000);
  const naiveCpuPer1000 = (naive.cpuUs / 1e6 / naive.fetches) * 1000;
  const naivePassS = run.naiveFeeds / naiveRate + hangs * FETCH_TIMEOUT_S;
  console.log(
    `\nNaive baseline (same sites, alone): rss-parser parseURL on every feed in turn, no conditional GET, ${FETCH_TIMEOUT_S} s timeout, ${opts.naiveSeconds} s ` +
      `(the ${hangs} hanging feeds left out of the loop). One pass over all ${opts.feeds} feeds would take ${fmt(naivePassS, 0)} s ` +
      `(${fmt(run.naiveFeeds / naiveRate, 0)} s of fetching + ${hangs} x ${FETCH_TIMEOUT_S} s timeouts) against an interval of ${opts.intervalS} s.\n`,
  );
  console.log('| | fetches/s | CPU s per 1,000 fetches |');
  console.log('|---|---:|---:|');
  console.log(`| newswatch (steady state) | ${fmt(run.steadyRate)} (all that were due) | ${fmt(run.steadyCpuPer1000, 2)} |`);
  if (run.catchUp) console.log(`| newswatch (catch-up burst) | ${fmt(run.catchUp.rate)} | ${fmt(run.catchUp.cpuPer1000, 2)} |`);
  console.log(`| naive loop | ${fmt(naiveRate)} (${naive.fetches} fetches, ${naive.failed} failed) | ${fmt(naiveCpuPer1000, 2)} |`);
  console.log(
    `| ratio newswatch steady / naive | ${fmt(run.steadyRate / naiveRate, 2)}x | ${fmt(run.steadyCpuPer1000 / naiveCpuPer1000, 2)}x |`,
  );
  if (run.catchUp) console.log(`| ratio newswatch catch-up / naive | ${fmt(run.catchUp.rate / naiveRate, 2)}x | |`);
}

process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
try {
  await main();
} finally {
  await cleanUp();
}
