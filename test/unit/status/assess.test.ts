import { describe, expect, it } from 'vitest';
import { assessStatus } from '../../../src/status/assess.js';
import { countFeedHealth, type FeedHealthRecord } from '../../../src/status/feed-health.js';
import type { ChannelStatus, QueueStatus, StatusSnapshot } from '../../../src/status/snapshot.js';

const feed = (id: string, health: FeedHealthRecord['health'], failures = 0, lastError: string | null = null): FeedHealthRecord => ({
  id,
  url: `http://example.test/${id}.xml`,
  enabled: health !== 'disabled',
  tags: [],
  intervalMs: 300_000,
  health,
  consecutiveFailures: failures,
  lastAttempt: null,
  lastSuccess: null,
  lastStatus: null,
  lastError,
  itemsSeen: 0,
  nextDue: null,
});

const queue = (name: QueueStatus['name'], workers: number | null, jobs: Partial<QueueStatus['jobs']> = {}): QueueStatus => ({
  name,
  workers,
  jobs: { waiting: 0, active: 0, delayed: 0, failed: 0, ...jobs },
});

const channel = (id: string, state: Partial<ChannelStatus> = {}): ChannelStatus => ({
  id,
  type: 'webhook',
  failingSince: null,
  lastError: null,
  unhealthy: false,
  disabledReason: null,
  buffered: 0,
  ...state,
});

function snapshot(parts: {
  feeds?: FeedHealthRecord[];
  queues?: QueueStatus[];
  channels?: ChannelStatus[];
  failedDeliveries?: number;
}): Omit<StatusSnapshot, 'health'> {
  const feeds = parts.feeds ?? [feed('wire', 'ok')];
  return {
    at: '2026-11-30T12:00:00.000Z',
    redis: 'redis://127.0.0.1:6379',
    prefix: 'newswatch',
    queues: parts.queues ?? (['fetch', 'articles', 'alerts', 'deliveries', 'digests'] as const).map((n) => queue(n, 1)),
    feeds: { counts: countFeedHealth(feeds), records: feeds },
    channels: parts.channels ?? [channel('hook')],
    deliveries: { failedJobs: parts.failedDeliveries ?? 0, failing: [] },
    alerts: { windowMs: 86_400_000, total: 0, recent: [] },
    rules: [],
  };
}

const thresholds = { feedFailures: 10 };

describe('assessStatus', () => {
  it('is healthy with working feeds, channels, workers and no failed jobs', () => {
    expect(assessStatus(snapshot({}), thresholds)).toEqual({ status: 'healthy', reasons: [] });
  });

  it('tolerates a feed failing below the threshold, and reports one at it and a gone one', () => {
    expect(assessStatus(snapshot({ feeds: [feed('flaky', 'failing', 9)] }), thresholds).status).toBe('healthy');
    const health = assessStatus(
      snapshot({ feeds: [feed('flaky', 'failing', 10, 'HTTP 503'), feed('old', 'gone'), feed('off', 'disabled')] }),
      thresholds,
    );
    expect(health.status).toBe('degraded');
    expect(health.reasons).toEqual([
      'feed flaky failed 10 times in a row: HTTP 503',
      'feed old is gone (HTTP 410): change or remove its url',
    ]);
  });

  it('reports unhealthy and disabled channels, not ones that only just started failing', () => {
    const channels = [
      channel('new-trouble', { failingSince: '2026-11-30T11:59:00.000Z', lastError: 'HTTP 500' }),
      channel('long-trouble', { failingSince: '2026-11-29T10:00:00.000Z', lastError: 'HTTP 500', unhealthy: true }),
      channel('gone', { disabledReason: 'HTTP 410 Gone' }),
    ];
    expect(assessStatus(snapshot({ channels }), thresholds).reasons).toEqual([
      'channel long-trouble failing since 2026-11-29T10:00:00.000Z: HTTP 500',
      'channel gone is disabled: HTTP 410 Gone',
    ]);
  });

  it('reports deliveries that gave up and failed jobs in other queues', () => {
    const queues = (['fetch', 'articles', 'alerts', 'deliveries', 'digests'] as const).map((n) =>
      queue(n, 1, n === 'alerts' ? { failed: 2 } : n === 'deliveries' ? { failed: 3 } : {}),
    );
    expect(assessStatus(snapshot({ queues, failedDeliveries: 3 }), thresholds).reasons).toEqual([
      '3 deliveries failed after all retries (newswatch alerts replay --failed sends them again)',
      '2 failed jobs in queue alerts',
    ]);
  });

  it('says when no worker is connected at all, or a queue with waiting jobs has none', () => {
    const none = (['fetch', 'articles', 'alerts', 'deliveries', 'digests'] as const).map((n) => queue(n, 0));
    expect(assessStatus(snapshot({ queues: none }), thresholds).reasons).toEqual([
      'no newswatch worker is connected to Redis: is "newswatch start" running against this Redis and prefix?',
    ]);
    const noMatcher = (['fetch', 'articles', 'alerts', 'deliveries', 'digests'] as const).map((n) =>
      queue(n, n === 'articles' ? 0 : 2, n === 'articles' ? { waiting: 40 } : {}),
    );
    expect(assessStatus(snapshot({ queues: noMatcher }), thresholds).reasons).toEqual([
      'queue articles has 40 waiting jobs and no worker: is a role missing?',
    ]);
  });

  it('does not guess when Redis hides its clients (CLIENT LIST refused)', () => {
    const unknown = (['fetch', 'articles', 'alerts', 'deliveries', 'digests'] as const).map((n) => queue(n, null, { waiting: 5 }));
    expect(assessStatus(snapshot({ queues: unknown }), thresholds)).toEqual({ status: 'healthy', reasons: [] });
  });
});
