import type { ChildProcess } from 'node:child_process';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Settings } from '../config/schema.js';
import { maskUrl, type Logger } from '../log/logger.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

interface RedisNode {
  host: string;
  port: number;
}

/** Where newswatch's Redis is: one server (by URL), a Sentinel-managed primary, or a Cluster. */
export type RedisTarget =
  | { kind: 'url'; url: string /** Set when newswatch started its own redis-server; stopped on shutdown. */; managed?: ChildProcess }
  | { kind: 'sentinel'; sentinels: RedisNode[]; name: string; password?: string }
  | { kind: 'cluster'; nodes: RedisNode[]; password?: string };

/**
 * Opens a connection to the target. A Cluster client is typed as `Redis`: the commands newswatch
 * uses exist on both, and every key of one operation shares the prefix's hash tag, hence one slot.
 */
function openRedis(target: RedisTarget, options: RedisOptions): Redis {
  switch (target.kind) {
    case 'url':
      return new Redis(target.url, options);
    case 'sentinel':
      return new Redis({
        ...options,
        sentinels: target.sentinels,
        name: target.name,
        password: target.password,
        sentinelPassword: target.password,
      });
    case 'cluster': {
      // ioredis reads these on the Cluster itself, not in the per-node options.
      const { retryStrategy, lazyConnect, enableOfflineQueue, enableAutoPipelining, ...node } = options;
      return new Cluster(target.nodes, {
        redisOptions: { ...node, password: target.password },
        clusterRetryStrategy: retryStrategy,
        lazyConnect,
        enableOfflineQueue,
        enableAutoPipelining,
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

/**
 * The connection for newswatch's own state (`src/state/`): auto-pipelined, so the commands that
 * concurrent jobs issue in the same tick go out in one write (socket writes were the daemon's largest
 * CPU cost). Apart from the queues' connection: ioredis copies every script defined on a connection
 * into each pipeline it builds, and BullMQ defines dozens on the connections it is given.
 */
export function stateConnection(target: RedisTarget): Redis {
  return clientConnection(target, { enableAutoPipelining: true });
}

function reconnectDelay(times: number): number {
  return Math.min(200 * 2 ** Math.min(times, 5), 5_000);
}

/** Connects once and PINGs: undefined when Redis answers, else why not (ECONNREFUSED, auth, timeout...). */
export async function probeRedis(target: RedisTarget): Promise<string | undefined> {
  const probe = openRedis(target, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
    enableOfflineQueue: false,
    sentinelRetryStrategy: () => null,
  });
  // connect() only says "Connection is closed"; the socket error says why.
  let socketError: Error | undefined;
  probe.on('error', (err: Error) => (socketError = err));
  try {
    await probe.connect();
    await probe.ping();
    return undefined;
  } catch (err) {
    return (socketError ?? (err as Error)).message || 'no answer';
  } finally {
    probe.disconnect();
  }
}

/** BullMQ loses jobs silently if Redis evicts keys: say so loudly at start. */
export async function warnOnEvictionPolicy(redis: Redis, log: Logger): Promise<void> {
  try {
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy !== 'noeviction') {
      log.warn(
        { policy },
        'Redis maxmemory-policy is not "noeviction": queued jobs can be evicted and lost. Set maxmemory-policy noeviction.',
      );
    }
  } catch {
    // Managed services often forbid CONFIG; nothing to check then.
  }
}
