import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { inject } from 'vitest';
import { ChannelRegistry } from '../../src/alerts/channels/index.js';
import { loadConfig, formatProblem, type Config } from '../../src/config/load.js';
import { fetcherFromSettings } from '../../src/feeds/fetch-once.js';
import { hostGateFromSettings } from '../../src/feeds/fetch/host-gate.js';
import { createPipelineState, type PipelineContext } from '../../src/pipeline/context.js';
import { NewswatchMetrics } from '../../src/metrics/metrics.js';
import { closeQueues, createQueues } from '../../src/queues/queues.js';
import { writeConfigDir } from './config-dir.js';

export interface TestPipeline {
  ctx: PipelineContext;
  redis: Redis;
  logs: Array<{ level: number; msg: string; [k: string]: unknown }>;
  /** Replaces the running config, as a hot reload would. */
  setConfig(files: Record<string, string>): void;
  close(): Promise<void>;
}

/** The pipeline's context without workers: tests call a worker's process function directly. */
export function testPipeline(files: Record<string, string>, settings = ''): TestPipeline {
  const prefix = `test-${randomUUID()}`;
  const load = (f: Record<string, string>): Config => {
    const result = loadConfig(writeConfigDir({ ...f, 'settings.yaml': `redis: { prefix: ${prefix} }\n${settings}` }), {});
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    return result.config;
  };
  let config = load(files);
  const redis = new Redis(inject('redisUrl'));
  const logs: TestPipeline['logs'] = [];
  const queues = createQueues(redis, prefix);
  const ctx: PipelineContext = {
    config: () => config,
    channels: () => new ChannelRegistry([], { timeoutMs: 1000 }),
    queues,
    workerOptions: (concurrency) => ({ connection: new Redis(inject('redisUrl'), { maxRetriesPerRequest: null }), prefix, concurrency }),
    prefix,
    state: createPipelineState(redis, config),
    fetcher: fetcherFromSettings(config.settings),
    hostGate: hostGateFromSettings(redis, config.settings),
    log: pino({ level: 'debug' }, { write: (l: string) => void logs.push(JSON.parse(l)) }),
    metrics: new NewswatchMetrics({ version: 'test' }),
  };
  return {
    ctx,
    redis,
    logs,
    setConfig: (f) => void (config = load(f)),
    close: async () => {
      await closeQueues(queues);
      redis.disconnect();
    },
  };
}

/** A stand-in for the BullMQ job a worker would be handed: only id and data are read on these paths. */
export function jobOf<T>(data: T, id = `job-${randomUUID()}`): Job<T> {
  return { id, data } as unknown as Job<T>;
}
