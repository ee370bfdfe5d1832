import cron, { type ScheduledTask } from 'node-cron';
import type { Queue } from 'bullmq';
import type { FeedConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { jobIds, type FetchJob } from '../queues/queues.js';
import { hostKey } from '../net/host-key.js';
import { currentSlot } from './slots.js';
import { catchUpTimes } from './catch-up.js';
import { DueTimes } from './due-times.js';

/** Jobs per addBulk call: one call for a whole first start built every job of 100,000 feeds in memory at once. */
const ADD_CHUNK = 1_000;

/**
 * Enqueues one fetch job per feed per time slot. The job id and a deduplication id are the feed id
 * plus the slot, so any number of schedulers against one Redis produce one fetch per slot: BullMQ
 * ignores a duplicate id while the job is queued, and the deduplication key (a small string with a
 * TTL of two slots) after it completed. Completed jobs themselves are removed at once: a kept job
 * hash costs about 1 KB (its opts outgrow Redis's compact hash encoding), a deduplication key ~100 B.
 * A tick looks only at the feeds whose next slot has begun (100,000 feeds make 333 due a second).
 * Feeds overdue when a plan is made (first start, restart, feeds added) are queued at their host's
 * pace (see catchUpTimes), not all at once.
 */
export class FeedScheduler {
  private task?: ScheduledTask;
  private readonly queuedSlot = new Map<string, number>();
  /** Built for one feed list; rebuilt when a reload hands over another. */
  private plan?: { feeds: FeedConfig[]; due: DueTimes<FeedConfig> };
  private ticking = false;

  /**
   * `claimedSlots` tells which slot each feed was last fetched for (see FeedStateStore.claimedSlots): at
   * a restart, feeds already fetched in their current slot wait for their next one instead of all
   * being queued at once. `hostGapMs` is settings.feeds.per_host_gap, the pace of a catch-up per host.
   */
  constructor(
    private readonly feeds: () => FeedConfig[],
    private readonly queue: Queue<FetchJob>,
    private readonly log: Logger,
    private readonly claimedSlots: (feedIds: string[]) => Promise<Map<string, number>> = async () => new Map(),
    private readonly hostGapMs: () => number = () => 0,
  ) {}

  start(): void {
    this.task = cron.schedule('* * * * * *', () => this.tick(), { name: 'feed-scheduler', noOverlap: true });
    void this.tick();
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = undefined;
  }

  get running(): boolean {
    return this.task !== undefined;
  }

  /** Queues the feeds whose current slot has no job yet; returns how many were queued. */
  async tick(now = Date.now()): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    let due: Array<{ feed: FeedConfig; slot: number }> = [];
    let queued = 0;
    try {
      const plan = await this.planFor(now);
      due = plan.due.takeUntil(now).map((feed) => ({ feed, slot: currentSlot(feed.id, feed.interval, now) }));
      for (; queued < due.length; queued += ADD_CHUNK) {
        const chunk = due.slice(queued, queued + ADD_CHUNK);
        await this.queue.addBulk(
          chunk.map(({ feed, slot }) => {
            const id = jobIds.fetch(feed.id, slot);
            return {
              name: 'fetch',
              data: { feedId: feed.id, slot },
              opts: {
                jobId: id,
                deduplication: { id, ttl: 2 * feed.interval },
                removeOnComplete: true,
                removeOnFail: { age: Math.ceil((2 * feed.interval) / 1000) },
              },
            };
          }),
        );
        for (const { feed, slot } of chunk) {
          this.queuedSlot.set(feed.id, slot);
          plan.due.add(feed, slot + feed.interval);
        }
      }
      return due.length;
    } catch (err) {
      // The chunks not queued are still due: try them again on the next tick.
      for (const { feed } of due.slice(queued)) this.plan?.due.add(feed, now);
      this.log.warn({ err: (err as Error).message }, 'cannot queue fetch jobs (is Redis up?); trying again next second');
      return queued;
    } finally {
      this.ticking = false;
    }
  }

  private async planFor(now: number): Promise<{ feeds: FeedConfig[]; due: DueTimes<FeedConfig> }> {
    const feeds = this.feeds();
    if (this.plan?.feeds === feeds) return this.plan;
    const enabled = feeds.filter((f) => f.enabled);
    const claimed = this.plan ? new Map<string, number>() : await this.claimedSlots(enabled.map((f) => f.id));
    const due = new DueTimes<FeedConfig>();
    const ids = new Set<string>();
    const overdue: FeedConfig[] = [];
    for (const feed of enabled) {
      ids.add(feed.id);
      const slot = currentSlot(feed.id, feed.interval, now);
      const done = this.queuedSlot.get(feed.id) === slot || (claimed.get(feed.id) ?? -Infinity) >= slot;
      if (done) due.add(feed, slot + feed.interval);
      else overdue.push(feed);
    }
    // From the start of this second: overdue feeds go out with this tick (DueTimes rounds times up).
    const times = catchUpTimes(overdue, (feed) => hostKey(feed.url), Math.floor(now / 1_000) * 1_000, this.hostGapMs());
    overdue.forEach((feed, i) => due.add(feed, times[i]!));
    for (const id of this.queuedSlot.keys()) if (!ids.has(id)) this.queuedSlot.delete(id);
    this.plan = { feeds, due };
    return this.plan;
  }
}
