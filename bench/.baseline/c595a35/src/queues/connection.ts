import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Settings } from '../config/schema.js';
import { maskUrl, type Logger } from '../log/logger.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface RedisNode {
  host: string;
  port: number;
}

/** Where newswatch's Redis is: one server (by URL), a Sentinel-managed primary, or a Cluster. */
export type RedisTarget =
  | { kind: 'url'; url: string; /** Set when newswatch started its own redis-server; stopped on shutdown. */ managed?: ChildProcess }
  | { kind: 'sentinel'; sentinels: RedisNode[]; name: string; password?: string }
  | { kind: 'cluster'; nodes: RedisNode[]; password?: string };

/**
 * Opens a connection to the target. A Cluster client is typed as `Redis`: the commands newswatch
 * uses exist on both, and every key of one operation shares the prefix's hash tag, hence one slot.
 */
export function openRedis(target: RedisTarget, options: RedisOptions): Redis {
  switch (target.kind) {
    case 'url':
      return new Redis(target.url, options);
    case 'sentinel':
      return new Redis({ ...options, sentinels: target.sentinels, name: target.name, password: target.password, sentinelPassword: target.password });
    case 'cluster': {
      const { retryStrategy, lazyConnect, enableOfflineQueue, ...node } = options;
      return new Cluster(target.nodes, {
        redisOptions: { ...node, password: target.password },
        clusterRetryStrategy: retryStrategy,
        lazyConnect,
        enableOfflineQueue,
      }) as unknown as Redis;
    }
  }
}

/** For logs: where the target is, credentials masked. */
export function describeRedis(target: RedisTarget): string {
  const nodes = (list: RedisNode[]) => list.map((n) => `${n.host}:${n.port}`).join(',');
  if (target.kind === 'url') return maskUrl(target.url, true);
  return target.kind === 'sentinel' ? `sentinel ${target.name}@${nodes(target.sentinels)}` : `cluster ${nodes(target.nodes)}`;
}

/** The target the operator named: Sentinel or Cluster in settings, else REDIS_URL, else `redis.url`. */
export function configuredRedis(settings: Settings['redis'], env: NodeJS.ProcessEnv): RedisTarget | undefined {
  if (settings.sentinels) return { kind: 'sentinel', sentinels: settings.sentinels, name: settings.name!, password: settings.password };
  if (settings.cluster) return { kind: 'cluster', nodes: settings.cluster, password: settings.password };
  const url = env.REDIS_URL || settings.url;
  return url ? { kind: 'url', url } : undefined;
}

/** Connections for BullMQ workers: they block, so commands must wait for reconnects instead of failing. */
export function workerConnection(target: RedisTarget): Redis {
  return openRedis(target, { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: reconnectDelay });
}

/** Connections for producers and state: fail fast while Redis is down, so the caller can retry the job. */
export function clientConnection(target: RedisTarget, extra: RedisOptions = {}): Redis {
  return openRedis(target, { maxRetriesPerRequest: 3, retryStrategy: reconnectDelay, ...extra });
}

function reconnectDelay(times: number): number {
  return Math.min(200 * 2 ** Math.min(times, 5), 5_000);
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(resolve(dir, cmd)));
}

export class RedisUnavailableError extends Error {}

/**
 * Finds the Redis to use: the configured one (Sentinel, Cluster, REDIS_URL, redis.url) first; else
 * the default address; else, when nothing answers there and `redis-server` is installed, a managed
 * child with AOF under `dataDir`.
 */
export async function resolveRedis(opts: { configured?: RedisTarget; defaultUrl?: string; dataDir: string; log: Logger }): Promise<RedisTarget> {
  if (opts.configured) return opts.configured;
  const url = opts.defaultUrl ?? DEFAULT_REDIS_URL;
  if (await answers(url)) return { kind: 'url', url };
  if (!onPath('redis-server')) {
    throw new RedisUnavailableError(
      `no Redis answers at ${maskUrl(url)} and redis-server is not installed. Start one with "docker compose up -d redis", ` +
        `install it ("apt-get install redis-server", "brew install redis"), or set REDIS_URL.`,
    );
  }
  const { hostname, port } = new URL(url);
  const dir = resolve(opts.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  opts.log.info({ dir, port }, 'no Redis answered: starting a managed redis-server (set REDIS_URL to use your own)');
  const child = spawn(
    'redis-server',
    ['--port', port || '6379', '--bind', hostname, '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) throw new RedisUnavailableError(`managed redis-server exited with code ${child.exitCode}`);
    if (await answers(url)) return { kind: 'url', url, managed: child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new RedisUnavailableError(`managed redis-server did not answer at ${maskUrl(url)} within 5 s`);
}

/** BullMQ loses jobs silently if Redis evicts keys: say so loudly at start. */
export async function warnOnEvictionPolicy(redis: Redis, log: Logger): Promise<void> {
  try {
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy !== 'noeviction') {
      log.warn({ policy }, 'Redis maxmemory-policy is not "noeviction": queued jobs can be evicted and lost. Set maxmemory-policy noeviction.');
    }
  } catch {
    // Managed services often forbid CONFIG; nothing to check then.
  }
}
