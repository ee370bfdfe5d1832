import type { StatusHealth, StatusSnapshot } from './snapshot.js';

export interface HealthThresholds {
  /** Consecutive failures from which a feed degrades the deployment (settings `health.feed_failures`). */
  feedFailures: number;
}

/**
 * Healthy or degraded, and why: the problems an operator should act on. A feed that failed once is
 * not one (it backs off and retries); one past the configured threshold, or gone, is.
 */
export function assessStatus(snapshot: Omit<StatusSnapshot, 'health'>, thresholds: HealthThresholds): StatusHealth {
  const reasons: string[] = [];
  for (const feed of snapshot.feeds.records) {
    if (feed.health === 'gone') reasons.push(`feed ${feed.id} is gone (HTTP 410): change or remove its url`);
    else if (feed.health === 'failing' && feed.consecutiveFailures >= thresholds.feedFailures) {
      reasons.push(`feed ${feed.id} failed ${feed.consecutiveFailures} times in a row${feed.lastError ? `: ${feed.lastError}` : ''}`);
    }
  }
  for (const channel of snapshot.channels) {
    if (channel.disabledReason) reasons.push(`channel ${channel.id} is disabled: ${channel.disabledReason}`);
    else if (channel.unhealthy)
      reasons.push(`channel ${channel.id} failing since ${channel.failingSince}${channel.lastError ? `: ${channel.lastError}` : ''}`);
  }
  if (snapshot.deliveries.failedJobs > 0) {
    reasons.push(
      `${snapshot.deliveries.failedJobs} deliveries failed after all retries (newswatch alerts replay --failed sends them again)`,
    );
  }
  for (const queue of snapshot.queues) {
    if (queue.name !== 'deliveries' && queue.jobs.failed > 0) reasons.push(`${queue.jobs.failed} failed jobs in queue ${queue.name}`);
  }
  const known = snapshot.queues.filter((q) => q.workers !== null);
  if (known.length > 0 && known.every((q) => q.workers === 0)) {
    reasons.push('no newswatch worker is connected to Redis: is "newswatch start" running against this Redis and prefix?');
  } else {
    for (const queue of known) {
      if (queue.workers === 0 && queue.jobs.waiting > 0)
        reasons.push(`queue ${queue.name} has ${queue.jobs.waiting} waiting jobs and no worker: is a role missing?`);
    }
  }
  return { status: reasons.length > 0 ? 'degraded' : 'healthy', reasons };
}
