import { Queue } from 'bullmq';
import { retryFailedJobs, jobSubject } from '../queues/failed-jobs.js';
import { QUEUE_NAMES, type QueueName } from '../queues/queues.js';
import { withCliRedis } from './cli-redis.js';
import { loadConfigOrReport } from './config-dir.js';
import { EXIT } from './exit-codes.js';

export interface JobsOptions {
  config?: string;
  queue?: string[];
  json?: boolean;
}

/** Queues whose failed jobs carry alerts; `fetch` is left out by default: the next slot fetches again. */
const ALERT_QUEUES: QueueName[] = ['articles', 'alerts', 'deliveries', 'digests'];

/** The queues named by --queue (default: every queue that carries alerts), or an error message. */
export function chooseQueues(named: readonly string[] | undefined): QueueName[] | string {
  if (!named || named.length === 0) return ALERT_QUEUES;
  const known = Object.keys(QUEUE_NAMES) as QueueName[];
  const unknown = named.filter((q) => !known.includes(q as QueueName));
  if (unknown.length > 0) return `unknown queue "${unknown[0]}"; queues: ${known.join(', ')}`;
  return [...new Set(named)] as QueueName[];
}

async function withQueues(opts: JobsOptions, command: string, run: (queues: Array<Queue<unknown>>) => Promise<number>): Promise<number> {
  const names = chooseQueues(opts.queue);
  if (typeof names === 'string') {
    process.stderr.write(`${command}: ${names}\n`);
    return EXIT.error;
  }
  const config = loadConfigOrReport(opts.config);
  if (!config) return EXIT.error;
  return withCliRedis(config, command, async (redis) => {
    const queues = names.map((name) => new Queue<unknown>(QUEUE_NAMES[name], { connection: redis, prefix: config.settings.redis.prefix }));
    try {
      return await run(queues);
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
  });
}

/** One failed job as `newswatch jobs` prints it; a batch of articles also names its articles (its job id does not). */
export function failedJobLine(r: {
  failedAt?: string;
  queue: string;
  jobId?: string;
  attempts: number;
  reason: string;
  articleIds?: unknown;
}): string {
  const articles = Array.isArray(r.articleIds) ? `\n    articles: ${r.articleIds.join(' ')}` : '';
  return `${r.failedAt ?? '?'}  ${r.queue}  ${r.jobId}  (${r.attempts} attempt(s)): ${r.reason}${articles}\n`;
}

/** `newswatch jobs`: the failed jobs of each queue, with the reason each one failed. */
export async function jobsListCommand(opts: JobsOptions): Promise<number> {
  return withQueues(opts, 'newswatch jobs', async (queues) => {
    const rows = [];
    for (const queue of queues) {
      for (const job of (await queue.getFailed(0, -1)).filter((j) => j !== undefined)) {
        rows.push({
          queue: queue.name,
          jobId: job.id,
          failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
          attempts: job.attemptsMade,
          reason: job.failedReason,
          ...jobSubject(queue.name, job.data),
        });
      }
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else {
      for (const r of rows) process.stdout.write(failedJobLine(r));
      process.stdout.write(`${rows.length} failed job(s) in ${queues.map((q) => q.name).join(', ')}\n`);
    }
    return EXIT.ok;
  });
}

/**
 * `newswatch jobs retry [--queue Q ...]`: runs the failed jobs again, attempts reset, ids kept. Each
 * step is idempotent by its job id (alert ledger, delivery id), so a retried job never alerts twice.
 */
export async function jobsRetryCommand(opts: JobsOptions): Promise<number> {
  return withQueues(opts, 'newswatch jobs retry', async (queues) => {
    let total = 0;
    for (const queue of queues) {
      const retried = await retryFailedJobs(queue, (job) => process.stdout.write(`retrying ${queue.name} ${job.id}\n`));
      if (retried > 0) process.stdout.write(`${retried} failed job(s) of ${queue.name} queued again\n`);
      total += retried;
    }
    if (total === 0) process.stdout.write(`no failed jobs in ${queues.map((q) => q.name).join(', ')}\n`);
    return total > 0 ? EXIT.ok : EXIT.negative;
  });
}
