import { UnrecoverableError, type Job, type Queue, type Worker } from 'bullmq';
import type { Logger } from '../log/logger.js';
import type { QueueName } from './queues.js';

/** How one failed attempt of a job stands: retried later, or failed for good (kept in the failed set). */
export interface FailedAttempt {
  queue: string;
  jobId: string;
  reason: string;
  attemptsMade: number;
  /** No attempt is left: the job sits in the failed set until `newswatch jobs retry` re-runs it. */
  final: boolean;
}

/** Counts failed jobs once per failed attempt (the daemon counts them in `newswatch_jobs_failed_total`). */
export type FailedJobCounter = (attempt: FailedAttempt) => void;

/**
 * Whether a failure is the job's last. A job failed by BullMQ itself (stalled too often) or by an
 * UnrecoverableError gets no more attempts, whatever `attempts` says.
 */
export function isFinalFailure(attemptsMade: number, maxAttempts: number | undefined, err: Error): boolean {
  return (
    err instanceof UnrecoverableError ||
    err.name === 'UnrecoverableError' ||
    STALLED_FOR_GOOD.test(err.message) ||
    attemptsMade >= (maxAttempts ?? 1)
  );
}

const STALLED_FOR_GOOD = /stalled more than allowable limit/;

export function describeFailure(queue: string, job: Pick<Job, 'id' | 'attemptsMade' | 'opts'>, err: Error): FailedAttempt {
  return {
    queue,
    jobId: job.id ?? '?',
    reason: err.message,
    attemptsMade: job.attemptsMade,
    final: isFinalFailure(job.attemptsMade, job.opts.attempts, err),
  };
}

/** The command that re-runs a queue's failed jobs, for log lines and CLI output. */
export const retryHint = (queue: string) => `newswatch jobs retry --queue ${queue}`;

/** What identifies a job's subject in a log line, by queue. */
export function jobSubject(queue: string, data: unknown): Record<string, unknown> {
  // Any queue's payload, read only for the ids it may carry (a failed job's data can be anything).
  const d = data as {
    feedId?: string;
    article?: { id?: string; feedId?: string };
    articles?: Array<{ id?: string; feedId?: string }>;
    alertId?: string;
    rule?: { id?: string };
    deliveryId?: string;
    channelId?: string;
  };
  switch (queue as QueueName) {
    case 'fetch':
      return { feedId: d.feedId };
    case 'articles':
      // A batch (one fetch's articles) names its feed and its articles: its job id names neither.
      if (Array.isArray(d.articles)) return { feedId: d.articles[0]?.feedId, articleIds: d.articles.map((a) => a?.id) };
      return { articleId: d.article?.id, feedId: d.article?.feedId };
    case 'alerts':
      return { alertId: d.alertId, ruleId: d.rule?.id };
    case 'deliveries':
      return { deliveryId: d.deliveryId, channelId: d.channelId };
    case 'digests':
      return { channelId: d.channelId };
    default:
      return {};
  }
}

/**
 * The one place failed jobs are reported, for every worker of every queue: each failed attempt is
 * logged with its reason (a warning while attempts remain, an error when it failed for good) and
 * counted.
 */
export function reportFailedJobs(worker: Worker, log: Logger, count: FailedJobCounter = () => {}): void {
  worker.on('failed', (job, err) => {
    const attempt = job
      ? describeFailure(worker.name, job, err)
      : { queue: worker.name, jobId: '?', reason: err.message, attemptsMade: 0, final: true };
    count(attempt);
    const fields = {
      queue: attempt.queue,
      jobId: attempt.jobId,
      attempts: attempt.attemptsMade,
      reason: attempt.reason,
      ...(job ? jobSubject(worker.name, job.data) : {}),
    };
    if (attempt.final)
      log.error(fields, `job failed for good: ${attempt.reason} (kept in the failed set; "${retryHint(worker.name)}" runs it again)`);
    else log.warn(fields, `job attempt failed, will retry: ${attempt.reason}`);
  });
}

/**
 * Moves every failed job of a queue back to waiting with its attempts reset, so it gets its whole
 * retry schedule again. Job ids are kept: whatever the job does is keyed by them and stays idempotent.
 */
export async function retryFailedJobs<T>(
  queue: Queue<T>,
  onRetry: (job: { id?: string; name: string; data: T }) => void = () => {},
): Promise<number> {
  // One snapshot of the failed set: a job that fails again meanwhile waits for the next retry command.
  const jobs = (await queue.getFailed(0, -1)).filter((j) => j !== undefined);
  for (const job of jobs) {
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    onRetry(job);
  }
  return jobs.length;
}
