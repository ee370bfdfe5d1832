import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/load.js';
import { jobIds, QUEUE_NAMES, queueJobCounts, type QueueName, type Queues } from '../queues/queues.js';
import { AlertHistory, summariseHistory, type AlertSummary } from '../state/alert-history.js';
import { ChannelHealth } from '../state/channel-health.js';
import { FeedStateStore } from '../state/feed-state.js';
import { stateKeys } from '../state/keys.js';
import { Pacing } from '../state/pacing.js';
import { assessStatus } from './assess.js';
import { countFeedHealth, feedHealthRecord, type FeedHealthRecord } from './feed-health.js';
import type { ChannelStatus, FailingDelivery, QueueStatus, RuleStatus, StatusSnapshot } from './snapshot.js';

/** How far back the alert history is read for recent alerts, failing deliveries and rule counts. */
const STATUS_WINDOW_MS = 24 * 3_600_000;
const RECENT_ALERTS = 20;
const FAILING_DELIVERIES = 50;

/** Every configured feed with the health the fetch workers recorded in Redis, in config order. */
export async function feedHealthRecords(redis: Redis, config: Config, now: number): Promise<FeedHealthRecord[]> {
  const store = new FeedStateStore(redis, stateKeys(config.settings.redis.prefix));
  const states = await Promise.all(config.feeds.map((f) => store.get(f.id)));
  return config.feeds.map((feed, i) => feedHealthRecord(feed, states[i]!, now));
}

type AnyQueues = Record<QueueName, Queue>;

/**
 * Reads a `StatusSnapshot` from Redis: any process (or the CLI) sees the whole deployment. Hand it
 * the daemon's queues to reuse them; otherwise it opens its own on `redis` and `close()` closes them.
 */
export class StatusReader {
  private readonly queues: AnyQueues;
  private readonly ownsQueues: boolean;

  constructor(
    private readonly redis: Redis,
    /** Where Redis is, for the snapshot (credentials masked by the caller: see describeRedis). */
    private readonly redisDescription: string,
    private readonly prefix: string,
    queues?: Queues,
  ) {
    this.ownsQueues = queues === undefined;
    this.queues = (queues as AnyQueues | undefined) ?? openQueues(redis, prefix);
  }

  async read(config: Config, now = Date.now()): Promise<StatusSnapshot> {
    const keys = stateKeys(this.prefix);
    const history = new AlertHistory(this.redis, keys, config.settings.alerts.history);
    const [queues, feeds, channels, alerts] = await Promise.all([
      this.queueStatus(),
      feedHealthRecords(this.redis, config, now),
      this.channelStatus(config),
      history.since(now - STATUS_WINDOW_MS).then(summariseHistory),
    ]);
    const newestFirst = alerts.reverse();
    const snapshot = {
      at: new Date(now).toISOString(),
      redis: this.redisDescription,
      prefix: this.prefix,
      queues,
      feeds: { counts: countFeedHealth(feeds), records: feeds },
      channels,
      deliveries: {
        failedJobs: queues.find((q) => q.name === 'deliveries')?.jobs.failed ?? 0,
        failing: await this.failingDeliveries(newestFirst),
      },
      alerts: { windowMs: STATUS_WINDOW_MS, total: newestFirst.length, recent: newestFirst.slice(0, RECENT_ALERTS) },
      rules: ruleCounts(config, newestFirst),
    };
    return { ...snapshot, health: assessStatus(snapshot, { feedFailures: config.settings.health.feed_failures }) };
  }

  async close(): Promise<void> {
    if (this.ownsQueues) await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }

  private async queueStatus(): Promise<QueueStatus[]> {
    return Promise.all(
      (Object.keys(QUEUE_NAMES) as QueueName[]).map(async (name) => {
        const queue = this.queues[name];
        const [jobs, workers] = await Promise.all([
          queueJobCounts(queue),
          // Managed Redis services may forbid CLIENT LIST: then the worker count is unknown, not zero.
          queue.getWorkersCount().catch(() => null),
        ]);
        return { name, jobs, workers };
      }),
    );
  }

  private async channelStatus(config: Config): Promise<ChannelStatus[]> {
    const keys = stateKeys(this.prefix);
    const health = new ChannelHealth(this.redis, keys);
    const pacing = new Pacing(this.redis, keys);
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return Promise.all(
      config.channels.map(async (channel) => {
        const [state, buffered] = await Promise.all([health.get(channel.id), pacing.buffered(channel.id)]);
        return {
          id: channel.id,
          type: channel.type,
          failingSince: iso(state.failingSince),
          lastError: state.lastError ?? null,
          unhealthy: state.unhealthy === true,
          disabledReason: state.disabledReason ?? null,
          buffered,
        };
      }),
    );
  }

  private async failingDeliveries(alerts: AlertSummary[]): Promise<FailingDelivery[]> {
    const failing = alerts
      .flatMap((a) =>
        Object.entries(a.deliveries)
          .filter(([, d]) => d.ok === false)
          .map(([channelId, d]) => ({ a, channelId, d })),
      )
      .slice(0, FAILING_DELIVERIES);
    const deliveries = this.queues.deliveries;
    return Promise.all(
      failing.map(async ({ a, channelId, d }) => ({
        alertId: a.alertId,
        ruleId: a.ruleId,
        title: a.title,
        channelId,
        attempts: d.attempts,
        lastError: d.lastError ?? null,
        at: new Date(a.at).toISOString(),
        gaveUp: (await deliveries.getJobState(jobIds.delivery(a.alertId, channelId))) === 'failed',
      })),
    );
  }
}

function openQueues(redis: Redis, prefix: string): AnyQueues {
  const entries = (Object.keys(QUEUE_NAMES) as QueueName[]).map((name) => {
    const queue = new Queue(QUEUE_NAMES[name], { connection: redis, prefix });
    // Connection trouble surfaces from the read itself; without a listener BullMQ prints stacks.
    queue.on('error', () => {});
    return [name, queue] as const;
  });
  return Object.fromEntries(entries) as AnyQueues;
}

function ruleCounts(config: Config, alerts: readonly AlertSummary[]): RuleStatus[] {
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.ruleId, (counts.get(a.ruleId) ?? 0) + 1);
  return config.rules.map((r) => ({ id: r.id, name: r.name, enabled: r.enabled, alerts: counts.get(r.id) ?? 0 }));
}
