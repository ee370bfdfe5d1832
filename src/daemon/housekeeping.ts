import type { Redis } from 'ioredis';
import type { Config } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import type { NewswatchMetrics } from '../metrics/metrics.js';
import { dropExpiredFailedJobs, FAILED_JOB_RETENTION } from '../queues/failed-retention.js';
import type { QueueName, Queues } from '../queues/queues.js';
import { FeedRetirement } from '../state/feed-retirement.js';
import { stateKeys } from '../state/keys.js';
import { readRedisMemory, RedisMemoryWatch } from '../state/redis-memory.js';

const TICK_MS = 60_000;
/** Sweeps run every few ticks: they touch every queue and SCAN the feed keys. */
const FAILED_SWEEP_TICKS = 5;
const FEED_SWEEP_TICKS = 10;

/**
 * What keeps Redis bounded beyond TTLs and caps, once a minute: every process watches Redis memory
 * (warning at 80% of maxmemory, readiness degraded at 90%, `newswatch_redis_used_memory_bytes`); the scheduler role also drops failed jobs
 * past their retention (each logged and counted) and removes the state of feeds gone from feeds.yaml
 * for longer than `feeds.forget_removed_after`.
 */
export class Housekeeping {
  readonly memory: RedisMemoryWatch;
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly opts: {
      queues: Queues;
      config: () => Config;
      log: Logger;
      sweeps: boolean;
      metrics: Pick<NewswatchMetrics, 'redisMemory' | 'failedJobsDropped'>;
    },
  ) {
    this.memory = new RedisMemoryWatch(async () => {
      const memory = await readRedisMemory(redis);
      opts.metrics.redisMemory(memory);
      return memory;
    }, opts.log);
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), TICK_MS).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round of everything, now (tests and `start`). */
  async runAll(): Promise<void> {
    await this.memory.check();
    if (!this.opts.sweeps) return;
    await this.dropFailedJobs();
    await this.retireFeeds();
  }

  private tick(): Promise<void> {
    if (this.running !== undefined) return this.running;
    const tick = this.ticks++;
    this.running = (async () => {
      try {
        await this.memory.check();
        if (!this.opts.sweeps) return;
        if (tick % FAILED_SWEEP_TICKS === 0) await this.dropFailedJobs();
        if (tick % FEED_SWEEP_TICKS === 0) await this.retireFeeds();
      } catch (err) {
        this.opts.log.warn({ err: (err as Error).message }, 'housekeeping failed; trying again in a minute');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async dropFailedJobs(): Promise<void> {
    for (const [name, queue] of Object.entries(this.opts.queues) as Array<[QueueName, Queues[QueueName]]>) {
      const dropped = await dropExpiredFailedJobs(queue, FAILED_JOB_RETENTION, this.opts.log);
      if (dropped > 0) this.opts.metrics.failedJobsDropped(name, dropped);
    }
  }

  private async retireFeeds(): Promise<void> {
    const config = this.opts.config();
    const retirement = new FeedRetirement(this.redis, stateKeys(config.settings.redis.prefix));
    const plan = await retirement.sweep(new Set(config.feeds.map((f) => f.id)), config.settings.feeds.forget_removed_after);
    for (const feedId of plan.markAbsent)
      this.opts.log.info({ feedId }, 'feed no longer in feeds.yaml: its state is kept for feeds.forget_removed_after, then removed');
    for (const feedId of plan.forget) this.opts.log.info({ feedId }, 'state of a feed removed from feeds.yaml deleted');
  }
}
