import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { withDeadline } from '../deadline.js';
import { QUEUE_STATES, type QueueState } from '../queues/queues.js';

export type QueueJobCounts = Record<string, Partial<Record<QueueState, number>>>;

export type FetchOutcomeLabel = 'fetched' | 'not_modified' | 'failed' | 'skipped';
export type DeliveryOutcome = 'delivered' | 'retried' | 'failed' | 'buffered';
export type AlertEvent = 'alert.matched' | 'alert.follow_up';

export interface MetricsSources {
  version: string;
  /** How long a scrape waits for the queue job counts before leaving the queue series out. */
  scrapeTimeoutMs?: number;
  /** Told when recording a metric failed: a metric must never fail the job that counts it. */
  onError?: (err: Error) => void;
}

/**
 * Every metric newswatch exports, in a registry of its own per daemon (tests run several daemons in
 * one process). Label values are ids from the config (feeds, rules, channels, queues), so they stay
 * bounded. To add a metric: declare it here, record it through a method that cannot throw.
 */
export class NewswatchMetrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;

  private readonly feedFetches = this.counter(
    'newswatch_feed_fetches_total',
    'Feed fetch attempts by outcome (fetched, not_modified, failed, skipped).',
    ['feed', 'outcome'],
  );
  private readonly feedFailures = this.gauge('newswatch_feed_consecutive_failures', 'Failed fetches of a feed since its last success.', [
    'feed',
  ]);
  private readonly feedLastSuccess = this.gauge(
    'newswatch_feed_last_success_timestamp_seconds',
    'Unix time of the last successful fetch of a feed (200 or 304).',
    ['feed'],
  );
  private readonly articles = this.counter('newswatch_articles_total', 'New articles queued for matching.', ['feed']);
  private readonly ruleMatches = this.counter(
    'newswatch_rule_matches_total',
    'Articles a rule matched (before story and duplicate suppression).',
    ['rule'],
  );
  private readonly ruleErrors = this.counter(
    'newswatch_rule_errors_total',
    'Articles on which evaluating a rule failed; the rule was skipped for them.',
    ['rule'],
  );
  private readonly alerts = this.counter(
    'newswatch_alerts_total',
    'Alerts raised (queued or routed) by rule and event (alert.matched, alert.follow_up).',
    ['rule', 'event'],
  );
  private readonly deliveries = this.counter(
    'newswatch_deliveries_total',
    'Delivery outcomes per channel (delivered, retried, failed, buffered).',
    ['channel', 'outcome'],
  );
  private readonly failedJobs = this.counter(
    'newswatch_jobs_failed_total',
    'Failed job attempts per queue; final="true" when no attempt is left (the job waits in the failed set for `newswatch jobs retry`).',
    ['queue', 'final'],
  );
  private readonly deliveryDuration = new Histogram({
    name: 'newswatch_delivery_duration_seconds',
    help: 'Time one delivery attempt to a channel took.',
    labelNames: ['channel'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
    registers: [this.registry],
  });
  private readonly alertLatency = new Histogram({
    name: 'newswatch_alert_latency_seconds',
    help: 'From fetching an article to delivering its alert on the first channel.',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  private readonly matchDuration = new Histogram({
    name: 'newswatch_match_duration_seconds',
    help: 'Time matching one article against all rules took.',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  private readonly reloads = this.counter('newswatch_config_reloads_total', 'Config reloads by result (success, failure).', ['result']);
  private readonly lastReloadOk = this.gauge(
    'newswatch_config_last_reload_successful',
    'Whether the last config reload was applied (1) or rejected (0).',
  );
  private readonly lastReloadSuccess = this.gauge(
    'newswatch_config_last_reload_success_timestamp_seconds',
    'Unix time of the last applied config (load or reload).',
  );

  private readonly redisUsedMemory = this.gauge(
    'newswatch_redis_used_memory_bytes',
    'Redis used_memory, read once a minute (at maxmemory every write fails: see docs/architecture.md).',
  );
  private readonly redisMaxMemory = this.gauge('newswatch_redis_maxmemory_bytes', 'Redis maxmemory (0: no limit), read once a minute.');
  private readonly failedJobsDroppedTotal = this.counter(
    'newswatch_failed_jobs_dropped_total',
    'Failed jobs dropped after their retention (14 days or 5,000 per queue), each one also logged.',
    ['queue'],
  );

  /** Job counts per queue, read from Redis at scrape time, so any process shows the whole deployment's queues. */
  private queueJobCounts?: () => Promise<QueueJobCounts>;

  constructor(private readonly sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry });
    // prom-client exports these gauges with a counter's "_total" suffix, which promtool rejects; the
    // same counts stay available by type as nodejs_active_handles, nodejs_active_requests, nodejs_active_resources.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
      this.registry.removeSingleMetric(name);
    this.gauge('newswatch_build_info', 'Always 1; the version label says which newswatch runs.', ['version']).set(
      { version: sources.version },
      1,
    );
    const metrics = this;
    new Gauge({
      name: 'newswatch_queue_jobs',
      help: 'Jobs per BullMQ queue and state (waiting, active, delayed, failed), read from Redis at scrape time.',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        await metrics.collectQueueJobs(this);
      },
    });
    for (const result of ['success', 'failure']) this.reloads.inc({ result }, 0);
  }

  /** Where queue job counts come from; set once the queues exist (the listener starts before Redis answers). */
  readQueueJobCountsFrom(read: () => Promise<QueueJobCounts>): void {
    this.queueJobCounts = read;
  }

  redisMemory(memory: { usedBytes: number; maxBytes: number }): void {
    this.safely(() => {
      this.redisUsedMemory.set(memory.usedBytes);
      this.redisMaxMemory.set(memory.maxBytes);
    });
  }

  failedJobsDropped(queue: string, count: number): void {
    this.safely(() => this.failedJobsDroppedTotal.inc({ queue }, count));
  }

  /** The Prometheus text exposition of every metric. */
  async exposition(): Promise<string> {
    return this.registry.metrics();
  }

  feedFetched(feedId: string, outcome: FetchOutcomeLabel, consecutiveFailures: number | undefined, now = Date.now()): void {
    this.safely(() => {
      this.feedFetches.inc({ feed: feedId, outcome });
      if (outcome === 'fetched' || outcome === 'not_modified') {
        this.feedLastSuccess.set({ feed: feedId }, now / 1000);
        this.feedFailures.set({ feed: feedId }, 0);
      } else if (consecutiveFailures !== undefined) {
        this.feedFailures.set({ feed: feedId }, consecutiveFailures);
      }
    });
  }

  articlesQueued(feedId: string, count: number): void {
    this.safely(() => this.articles.inc({ feed: feedId }, count));
  }

  ruleMatched(ruleId: string): void {
    this.safely(() => this.ruleMatches.inc({ rule: ruleId }));
  }

  ruleFailed(ruleId: string): void {
    this.safely(() => this.ruleErrors.inc({ rule: ruleId }));
  }

  alertQueued(ruleId: string, event: AlertEvent): void {
    this.safely(() => this.alerts.inc({ rule: ruleId, event }));
  }

  delivery(channelId: string, outcome: DeliveryOutcome): void {
    this.safely(() => this.deliveries.inc({ channel: channelId, outcome }));
  }

  jobFailed(queue: string, final: boolean): void {
    this.safely(() => this.failedJobs.inc({ queue, final: String(final) }));
  }

  deliveryAttempt(channelId: string, seconds: number): void {
    this.safely(() => this.deliveryDuration.observe({ channel: channelId }, seconds));
  }

  /** An alert reached its first channel; `fetchedAt` is when its article was fetched (ISO 8601). */
  alertDelivered(fetchedAt: string, now = Date.now()): void {
    const fetched = Date.parse(fetchedAt);
    if (Number.isNaN(fetched)) return;
    this.safely(() => this.alertLatency.observe(Math.max(0, (now - fetched) / 1000)));
  }

  articleMatched(seconds: number): void {
    this.safely(() => this.matchDuration.observe(seconds));
  }

  /** A config was applied (at start or on reload) or rejected; only reloads count in reloads_total. */
  configApplied(ok: boolean, reload: boolean, now = Date.now()): void {
    this.safely(() => {
      if (reload) this.reloads.inc({ result: ok ? 'success' : 'failure' });
      this.lastReloadOk.set(ok ? 1 : 0);
      if (ok) this.lastReloadSuccess.set(now / 1000);
    });
  }

  private async collectQueueJobs(gauge: Gauge<'queue' | 'state'>): Promise<void> {
    gauge.reset();
    const read = this.queueJobCounts;
    if (!read) return;
    try {
      const counts = await withDeadline(read(), this.sources.scrapeTimeoutMs ?? 2_000, 'queue job counts: Redis did not answer in time');
      for (const [queue, byState] of Object.entries(counts)) {
        for (const state of QUEUE_STATES) gauge.set({ queue, state }, byState[state] ?? 0);
      }
    } catch (err) {
      this.sources.onError?.(err as Error);
    }
  }

  private safely(record: () => void): void {
    try {
      record();
    } catch (err) {
      this.sources.onError?.(err as Error);
    }
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
