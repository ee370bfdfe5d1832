import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { inject } from 'vitest';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import { QUEUE_NAMES, type FlushJob } from '../../src/queues/queues.js';
import { stateKeys } from '../../src/state/keys.js';
import { writeConfigDir } from './config-dir.js';

export interface TestDaemon {
  daemon: Daemon;
  dir: string;
  prefix: string;
  redis: Redis;
  keys: ReturnType<typeof stateKeys>;
  logs: string[];
  /** Fires a digest flush now, as the channel's job scheduler would. */
  flush(channelId: string, reason: FlushJob['reason']): Promise<void>;
  stop(): Promise<void>;
}

/** Runs the whole daemon in-process against the test Redis, with its own key prefix. */
export async function startTestDaemon(files: Record<string, string>, settings = ''): Promise<TestDaemon> {
  const prefix = `test-${randomUUID()}`;
  const dir = writeConfigDir({ ...files, 'settings.yaml': `redis: { prefix: ${prefix} }\n${settings}` });
  const redisUrl = inject('redisUrl');
  const logs: string[] = [];
  const daemon = await startDaemon({
    configDir: dir,
    log: pino({ level: 'debug' }, { write: (l: string) => void logs.push(l) }),
    env: { REDIS_URL: redisUrl },
    http: '127.0.0.1:0',
  });
  const redis = new Redis(redisUrl);
  const digests = new Queue<FlushJob>(QUEUE_NAMES.digests, { connection: redis, prefix });
  return {
    daemon,
    dir,
    prefix,
    redis,
    keys: stateKeys(prefix),
    logs,
    flush: async (channelId, reason) => void (await digests.add('flush', { channelId, reason })),
    stop: async () => {
      // NEWSWATCH_TEST_LOGS=1 shows what the daemon logged, for debugging a failing test.
      if (process.env.NEWSWATCH_TEST_LOGS) process.stderr.write(logs.join(''));
      await daemon.stop();
      await digests.close();
      redis.disconnect();
    },
  };
}
