import type { Queue } from 'bullmq';
import type { Logger } from '../log/logger.js';

const DAY_MS = 86_400_000;

/** How long, and how many, failed jobs each queue keeps for `alerts replay` and inspection. */
export interface FailedRetention {
  maxAgeMs: number;
  maxCount: number;
}

/**
 * Failed jobs are kept two weeks, at most 5,000 per queue (about 10 MB for deliveries whose channel is
 * dead). Dropping is done by the housekeeping sweep, one job at a time with a log line, never silently;
 * BullMQ's own `removeOnFail` bounds (queues.ts) are wider and only a backstop.
 */
export const FAILED_JOB_RETENTION: FailedRetention = { maxAgeMs: 14 * DAY_MS, maxCount: 5_000 };

/** How many of the oldest failed jobs (their failure times, oldest first, `total` in the queue) to drop now. */
export function failedJobsToDrop(failedAt: readonly number[], total: number, policy: FailedRetention, now: number): number {
  const overCount = Math.max(0, total - policy.maxCount);
  let drop = 0;
  while (drop < failedAt.length && (drop < overCount || now - failedAt[drop]! > policy.maxAgeMs)) drop++;
  return drop;
}

/**
 * Drops a queue's failed jobs past their retention, oldest first, at most `batch` per call, and logs
 * each one (queue, job id, why it failed, when) so nothing disappears unnoticed. Returns how many went.
 */
export async function dropExpiredFailedJobs(
  queue: Queue,
  policy: FailedRetention,
  log: Logger,
  now = Date.now(),
  batch = 200,
): Promise<number> {
  const total = await queue.getFailedCount();
  if (total === 0) return 0;
  const oldest = await queue.getJobs(['failed'], 0, batch - 1, true);
  const drop = failedJobsToDrop(
    oldest.map((job) => job.finishedOn ?? job.timestamp),
    total,
    policy,
    now,
  );
  let dropped = 0;
  for (const job of oldest.slice(0, drop)) {
    await job.remove();
    dropped++;
    log.warn(
      {
        queue: queue.name,
        jobId: job.id,
        failedReason: job.failedReason,
        failedAt: new Date(job.finishedOn ?? job.timestamp).toISOString(),
      },
      `failed job dropped: kept ${Math.round(policy.maxAgeMs / DAY_MS)} days or ${policy.maxCount} failed jobs per queue`,
    );
  }
  return dropped;
}
