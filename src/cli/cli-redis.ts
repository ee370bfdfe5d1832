import type { Redis } from 'ioredis';
import type { Config } from '../config/load.js';
import { EXIT } from './exit-codes.js';
import { clientConnection, configuredRedis, DEFAULT_REDIS_URL, describeRedis, type RedisTarget } from '../queues/connection.js';

class CliRedisError extends Error {}

/** The Redis a one-shot command talks to: the configured one, else the default address. */
export function cliRedisTarget(config: Config): RedisTarget {
  return configuredRedis(config.settings.redis, process.env) ?? { kind: 'url', url: DEFAULT_REDIS_URL };
}

/**
 * The daemon's Redis, for a one-shot command: one attempt, no reconnects and no managed server,
 * since a status command is no reason to wait for (or start) a Redis that is not there.
 */
async function connectCliRedis(config: Config, command: string): Promise<Redis> {
  const target = cliRedisTarget(config);
  const redis = clientConnection(target, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    enableOfflineQueue: false,
  });
  // connect() only says "Connection is closed"; the socket error says why (ECONNREFUSED, auth...).
  let socketError: Error | undefined;
  redis.on('error', (err: Error) => (socketError = err));
  try {
    await redis.connect();
    return redis;
  } catch (err) {
    redis.disconnect();
    throw new CliRedisError(
      `${command}: cannot reach Redis at ${describeRedis(target)}: ${(socketError ?? (err as Error)).message || 'no answer'}\n` +
        'Is the daemon\'s Redis running? Set REDIS_URL or redis.url in settings.yaml to the one "newswatch start" uses.',
    );
  }
}

/** Runs a command against the daemon's Redis: connection errors become exit 2 with their message. */
export async function withCliRedis(config: Config, command: string, run: (redis: Redis) => Promise<number>): Promise<number> {
  let redis: Redis | undefined;
  try {
    redis = await connectCliRedis(config, command);
    return await run(redis);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return EXIT.error;
  } finally {
    redis?.disconnect();
  }
}
