/**
 * The measured process of the ingestion benchmark, started by bench/ingest.ts with an IPC channel so
 * its CPU time and memory are its own (the simulated sites and Redis run elsewhere). bench/ingest.ts
 * compiles it with tsc first, so it runs as shipped code does (the tsx loader alone adds ~50 MB RSS).
 *
 *   daemon CONFIG_DIR REDIS_URL LOG_FILE [ROLES]   the real daemon roles (default scheduler,fetch) until told to stop
 *   naive  PLAN_JSON                       the baseline: GET every feed in turn with rss-parser's parseURL
 *   load   CONFIG_DIR                      what loading the config (its feed lists) costs: time, heap kept (node --expose-gc)
 */
import { createWriteStream, readFileSync } from 'node:fs';
import Parser from 'rss-parser';
import { loadConfig } from '../src/config/load.js';
import { startDaemon, type Role } from '../src/daemon/daemon.js';
import { createLogger } from '../src/log/logger.js';

export interface ProcessSample {
  /** Epoch ms. */
  at: number;
  /** User + system CPU time so far, microseconds. */
  cpuUs: number;
  rss: number;
  /** Peak resident set size so far, bytes. */
  maxRss: number;
  heapUsed: number;
  heapTotal: number;
}

export interface NaivePlan {
  urls: string[];
  seconds: number;
  timeoutMs: number;
}

export interface NaiveResult {
  fetches: number;
  failed: number;
  wallMs: number;
  /** CPU time of the loop itself (not of starting the process), microseconds. */
  cpuUs: number;
}

export interface LoadResult {
  feeds: number;
  ms: number;
  /** Heap still used after loading (with the config kept), less before, after a full GC each time. */
  heapBytes: number;
  /** RSS after loading less before, and the process's peak RSS. */
  rssBytes: number;
  peakRss: number;
}

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'sample'; sample: ProcessSample }
  | { type: 'naive'; result: NaiveResult }
  | { type: 'load'; result: LoadResult };

export function sampleProcess(): ProcessSample {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    at: Date.now(),
    cpuUs: cpu.user + cpu.system,
    rss: memory.rss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
  };
}

const send = (message: ChildMessage) => void process.send?.(message);

async function runDaemon(configDir: string, redisUrl: string, logFile: string, roles: Role[]): Promise<void> {
  const log = createLogger({ level: 'info', destination: createWriteStream(logFile) });
  const daemon = await startDaemon({ configDir, roles, log, env: { REDIS_URL: redisUrl }, watchConfig: false, http: 'off' });
  const sampler = setInterval(() => send({ type: 'sample', sample: sampleProcess() }), 1_000);
  send({ type: 'sample', sample: sampleProcess() });
  send({ type: 'ready' });
  process.on('message', async (message: { type?: string }) => {
    if (message.type !== 'stop') return;
    send({ type: 'sample', sample: sampleProcess() });
    clearInterval(sampler);
    await daemon.stop();
    process.exit(0);
  });
}

/** What a monitor without conditional GET, politeness or state does: fetch and parse everything, one by one. */
async function runNaive(plan: NaivePlan): Promise<void> {
  const start = Date.now();
  const cpuStart = process.cpuUsage();
  let fetches = 0;
  let failed = 0;
  for (const url of plan.urls) {
    if (Date.now() - start >= plan.seconds * 1000) break;
    fetches++;
    try {
      await new Parser({ timeout: plan.timeoutMs }).parseURL(url);
    } catch {
      failed++;
    }
  }
  // Timed-out requests are never aborted by rss-parser: exit instead of waiting for their sockets.
  const cpu = process.cpuUsage(cpuStart);
  const result = { fetches, failed, wallMs: Date.now() - start, cpuUs: cpu.user + cpu.system };
  process.send?.({ type: 'naive', result } satisfies ChildMessage, () => process.exit(0));
}

function measureLoad(configDir: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('load needs node --expose-gc');
  gc();
  const before = process.memoryUsage();
  const start = performance.now();
  const loaded = loadConfig(configDir, {});
  const ms = performance.now() - start;
  if (!loaded.ok) throw new Error(`config does not load: ${JSON.stringify(loaded.errors.slice(0, 3))}`);
  gc();
  const after = process.memoryUsage();
  const result: LoadResult = {
    feeds: loaded.config.feeds.length,
    ms,
    heapBytes: after.heapUsed - before.heapUsed,
    rssBytes: after.rss - before.rss,
    peakRss: process.resourceUsage().maxRSS * 1024,
  };
  process.send?.({ type: 'load', result } satisfies ChildMessage, () => process.exit(0));
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'daemon') await runDaemon(args[0]!, args[1]!, args[2]!, (args[3] ?? 'scheduler,fetch').split(',') as Role[]);
else if (mode === 'naive') await runNaive(JSON.parse(readFileSync(args[0]!, 'utf8')) as NaivePlan);
else if (mode === 'load') measureLoad(args[0]!);
else throw new Error(`usage: ingest-child.ts daemon CONFIG_DIR REDIS_URL LOG_FILE [ROLES] | naive PLAN_JSON | load CONFIG_DIR`);
