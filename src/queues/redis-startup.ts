import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Settings } from '../config/schema.js';
import { maskUrl, type Logger } from '../log/logger.js';
import { configuredRedis, DEFAULT_REDIS_URL, describeRedis, probeRedis, type RedisTarget } from './connection.js';
import { OutageLog, outageDuration } from './outage-log.js';

/**
 * Finding the Redis to start against: a configured one (waited for while it is down), the one on the
 * default address, or a managed redis-server newswatch starts itself.
 */

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(resolve(dir, cmd)));
}

export class RedisUnavailableError extends Error {}

/** Thrown when newswatch is asked to stop (SIGTERM) while it is still waiting for Redis. */
export class StartAbortedError extends Error {}

const PROBE_EVERY_MS = 1_000;
const WAIT_REMINDER_MS = 30_000;

/** Resolves after `ms`, or rejects with StartAbortedError as soon as `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolvePause, reject) => {
    if (signal?.aborted) return reject(new StartAbortedError('stopped while waiting for Redis'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new StartAbortedError('stopped while waiting for Redis'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolvePause();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Waits until the target answers: one warning when it does not, then one line every 30 s while it
 * stays down; every other failed probe is debug. Aborting `signal` ends the wait (StartAbortedError).
 */
async function waitForRedis(target: RedisTarget, log: Logger, signal?: AbortSignal, now: () => number = Date.now): Promise<void> {
  const outage = new OutageLog(WAIT_REMINDER_MS);
  const where = describeRedis(target);
  for (;;) {
    if (signal?.aborted) throw new StartAbortedError('stopped while waiting for Redis');
    const problem = await probeRedis(target);
    if (problem === undefined) {
      const lasted = outage.recovered(now());
      if (lasted !== undefined) log.info(`Redis at ${where} answers after ${outageDuration(lasted)}: starting`);
      return;
    }
    const what = outage.failure(now());
    if (what === 'down')
      log.warn({ err: problem }, `Redis at ${where} is not answering (${problem}): waiting for it; newswatch starts once it answers`);
    else if (what === 'still-down')
      log.warn({ err: problem }, `waiting for Redis at ${where} (down for ${outageDuration(outage.downFor(now()))}: ${problem})`);
    else log.debug({ err: problem }, 'Redis probe failed');
    await pause(PROBE_EVERY_MS, signal);
  }
}

export interface ResolveRedisOptions {
  settings: Settings['redis'];
  env: NodeJS.ProcessEnv;
  /** The address used when nothing is configured (tests point it elsewhere). */
  defaultUrl?: string;
  /** A managed redis-server keeps its data in `<dataDir>/redis`. */
  dataDir: string;
  log: Logger;
  /** Aborted when newswatch is asked to stop while it starts. */
  signal?: AbortSignal;
}

/**
 * Finds the Redis to use, following `redis.managed`, and logs once which case happened:
 * - a configured Redis (Sentinel, Cluster, REDIS_URL, redis.url): used, waited for while it is down;
 * - else the default address when something answers there;
 * - else (`auto`) a managed redis-server when one is installed; (`never`) wait for the default address;
 * - `always`: a managed redis-server at redis.url's address (or the default), whatever else is set.
 */
export async function resolveRedis(opts: ResolveRedisOptions): Promise<RedisTarget> {
  const { settings, env, log } = opts;
  const defaultUrl = opts.defaultUrl ?? DEFAULT_REDIS_URL;
  if (settings.managed === 'always') {
    if (env.REDIS_URL) log.warn('REDIS_URL is ignored: redis.managed is "always", so newswatch runs its own redis-server');
    const url = settings.url ?? defaultUrl;
    if ((await probeRedis({ kind: 'url', url })) === undefined) {
      throw new RedisUnavailableError(
        `redis.managed is "always" but a Redis already answers at ${maskUrl(url)}: stop it, choose another port in redis.url, or set redis.managed: auto to use it`,
      );
    }
    return startManagedRedis(url, opts);
  }
  const configured = configuredRedis(settings, env);
  if (configured) {
    const source =
      configured.kind === 'sentinel'
        ? 'Redis Sentinel'
        : configured.kind === 'cluster'
          ? 'Redis Cluster'
          : env.REDIS_URL
            ? 'REDIS_URL'
            : 'redis.url';
    log.info(`using ${source} ${describeRedis(configured)}`);
    await waitForRedis(configured, log, opts.signal);
    return configured;
  }
  const fallback: RedisTarget = { kind: 'url', url: defaultUrl };
  const hostPort = new URL(defaultUrl).host;
  if ((await probeRedis(fallback)) === undefined) {
    log.info(`using the Redis already on ${hostPort}`);
    return fallback;
  }
  if (settings.managed === 'never') {
    log.info(`using the Redis on ${hostPort} (redis.managed: never)`);
    await waitForRedis(fallback, log, opts.signal);
    return fallback;
  }
  if (!onPath('redis-server')) {
    throw new RedisUnavailableError(
      `no Redis answers at ${maskUrl(defaultUrl)} and redis-server is not installed. Start one with "docker compose up -d redis", ` +
        `install it ("apt-get install redis-server", "brew install redis"), or set REDIS_URL.`,
    );
  }
  return startManagedRedis(defaultUrl, opts);
}

/** Where a path is, for a log line: `./data/redis` below the working directory, else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? `./${rel}` : path;
}

/**
 * Starts redis-server (AOF on, noeviction, expired keys freed in the background) in `<dataDir>/redis` and waits until it answers. It runs in
 * its own process group, so a Ctrl-C in the terminal reaches newswatch only, which finishes its jobs
 * before stopping it; if newswatch exits any other way, the exit hook stops it too.
 */
async function startManagedRedis(url: string, opts: ResolveRedisOptions): Promise<RedisTarget> {
  const { hostname, port } = new URL(url);
  const dir = resolve(opts.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      '--port',
      port || '6379',
      '--bind',
      hostname,
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      // A story band generation is one large hash: freeing it when it expires must not pause Redis.
      '--lazyfree-lazy-expire',
      'yes',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], detached: true },
  );
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  try {
    for (let i = 0; i < 50; i++) {
      if (child.exitCode !== null)
        throw new RedisUnavailableError(`managed redis-server exited with code ${child.exitCode} (is port ${port || 6379} taken?)`);
      if ((await probeRedis({ kind: 'url', url })) === undefined) {
        opts.log.info(
          { dir, port: Number(port || 6379) },
          `started a managed redis-server in ${displayPath(dir)} (${hostname}:${port || 6379}; set REDIS_URL or redis.url to use your own)`,
        );
        return { kind: 'url', url, managed: child };
      }
      await pause(100, opts.signal);
    }
    throw new RedisUnavailableError(`managed redis-server did not answer at ${maskUrl(url)} within 5 s`);
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
}
