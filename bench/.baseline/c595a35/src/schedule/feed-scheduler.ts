import cron, { type ScheduledTask } from 'node-cron';
import type { Queue } from 'bullmq';
import type { FeedConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { jobIds, type FetchJob } from '../queues/queues.js';
import { currentSlot } from './backoff.js';

/**
 * Enqueues one fetch job per feed per time slot. The job id and a deduplication id are the feed id
 * plus the slot, so any number of schedulers against one Redis produce one fetch per slot: BullMQ
 * ignores a duplicate id while the job is queued, and the deduplication key (a small string with a
 * TTL of two slots) after it completed. Completed jobs themselves are removed at once: a kept job
 * hash costs about 1 KB (its opts outgrow Redis's compact hash encoding), a deduplication key ~100 B.
 */
export class FeedScheduler {
  private task?: ScheduledTask;
  private readonly queuedSlot = new Map<string, number>();
  private ticking = false;

  constructor(
    private readonly feeds: () => FeedConfig[],
    private readonly queue: Queue<FetchJob>,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.task = cron.schedule('* * * * * *', () => this.tick(), { name: 'feed-scheduler', noOverlap: true });
    void this.tick();
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
  }

  /** Queues the feeds whose current slot has no job yet; returns how many were queued. */
  async tick(now = Date.now()): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    try {
      const due = this.feeds()
        .filter((f) => f.enabled)
        .map((feed) => ({ feed, slot: currentSlot(feed.id, feed.interval, now) }))
        .filter(({ feed, slot }) => this.queuedSlot.get(feed.id) !== slot);
      if (due.length === 0) return 0;
      await this.queue.addBulk(
        due.map(({ feed, slot }) => {
          const id = jobIds.fetch(feed.id, slot);
          return {
            name: 'fetch',
            data: { feedId: feed.id, slot },
            opts: { jobId: id, deduplication: { id, ttl: 2 * feed.interval }, removeOnComplete: true, removeOnFail: { age: Math.ceil((2 * feed.interval) / 1000) } },
          };
        }),
      );
      for (const { feed, slot } of due) this.queuedSlot.set(feed.id, slot);
      return due.length;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'cannot queue fetch jobs (is Redis up?); trying again next second');
      return 0;
    } finally {
      this.ticking = false;
    }
  }
}
