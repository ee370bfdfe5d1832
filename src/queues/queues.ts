import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { AlertJob } from '../alerts/alert.js';
import type { DigestReason, Message } from '../alerts/message.js';
import type { Article } from '../articles/article.js';

/**
 * The pipeline's queues and the payload each carries. One place owns names, job ids and options,
 * so producers and workers cannot drift apart.
 *
 *   scheduler -> fetch -> articles -> (alerts, from a match-only process) -> deliveries
 *                                        \-> digest buffers -> digests (flush on schedule) -/
 */
export const QUEUE_NAMES = {
  fetch: 'fetch',
  articles: 'articles',
  alerts: 'alerts',
  deliveries: 'deliveries',
  digests: 'digests',
} as const;

export interface FetchJob {
  feedId: string;
  /** Start of the time slot (epoch ms) this fetch belongs to. */
  slot: number;
}

/**
 * An article as its match job stores it: the text once. `content` is left out when it equals the
 * summary (a description-only RSS item), and the original HTML is not kept (nothing after parsing reads it).
 */
export interface ArticleJob {
  article: Omit<Article, 'html' | 'content'> & { content?: string };
}

export function articleJob(article: Article): ArticleJob {
  const { html: _html, content, ...rest } = article;
  return { article: content === article.summary ? rest : { ...rest, content } };
}

export function jobArticle(job: ArticleJob): Article {
  return { ...job.article, content: job.article.content ?? job.article.summary };
}

export interface DeliveryJob {
  message: Message;
  channelId: string;
  /** Idempotency key the receiver sees on every attempt (`webhook-id`). */
  deliveryId: string;
}

/** Sends what a channel's digest buffer holds; fired by a BullMQ job scheduler. */
export interface FlushJob {
  channelId: string;
  reason: DigestReason;
}

interface JobPayloads {
  fetch: FetchJob;
  articles: ArticleJob;
  alerts: AlertJob;
  deliveries: DeliveryJob;
  digests: FlushJob;
}

export type QueueName = keyof JobPayloads;
export type Queues = { [K in QueueName]: Queue<JobPayloads[K]> };

/** Deterministic ids: a replayed step finds its earlier job instead of making a second one. */
export const jobIds = {
  fetch: (feedId: string, slot: number) => `fetch-${feedId}-${slot}`,
  article: (articleId: string) => `article-${articleId}`,
  alert: (ruleId: string, articleId: string) => `alert-${ruleId}-${articleId}`,
  delivery: (alertId: string, channelId: string) => `${alertId}-to-${channelId}`,
  /** BullMQ's own scheduler job ids contain ':', which job ids we make must not. */
  digest: (channelId: string, flushJobId: string) => `digest-${channelId}-${flushJobId.replace(/:/g, '-')}`,
  notice: (type: string, subjectId: string, at: number, channelId: string) =>
    `notice-${type.replace('.', '-')}-${subjectId}-${at}-to-${channelId}`,
};

const HOUR_S = 3_600;
const DAY_S = 86_400;

/**
 * How long finished jobs stay in Redis. A kept job id is what makes a duplicate add a no-op, but no
 * stage relies on that for long: seen lists, the alert ledger and story claims outlive the jobs. So
 * completed jobs go soon and by count; failed jobs stay for `newswatch alerts replay` and `jobs retry`
 * until the housekeeping sweep drops them (logged and counted, see failed-retention.ts); the bounds here
 * are only a backstop should no scheduler run that sweep.
 */
export const defaultJobOptions: { [K in QueueName]: JobsOptions } = {
  // Fetch jobs set their own retention and deduplication (per slot) in the scheduler; a failed fetch is retried by the next slot.
  fetch: { attempts: 1 },
  // 12 attempts doubling from 1 s span about an hour: long enough to ride out a Redis failover.
  articles: {
    attempts: 12,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: HOUR_S, count: 1_000 },
    removeOnFail: { age: 30 * DAY_S, count: 10_000 },
  },
  alerts: {
    attempts: 12,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: DAY_S, count: 1_000 },
    removeOnFail: { age: 30 * DAY_S, count: 10_000 },
  },
  // Completed deliveries are what `alerts replay ID` re-sends, for a week.
  deliveries: { removeOnComplete: { age: 7 * DAY_S, count: 10_000 }, removeOnFail: { age: 30 * DAY_S, count: 10_000 } },
  digests: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { count: 1_000 },
    removeOnFail: { age: 30 * DAY_S, count: 10_000 },
  },
};

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const make = <K extends QueueName>(name: K) =>
    new Queue<JobPayloads[K]>(QUEUE_NAMES[name], { connection, prefix, defaultJobOptions: defaultJobOptions[name] });
  return {
    fetch: make('fetch'),
    articles: make('articles'),
    alerts: make('alerts'),
    deliveries: make('deliveries'),
    digests: make('digests'),
  };
}

/** The job states operators watch (status page, `newswatch status`, metrics). */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** One queue's jobs in each watched state, every state present. */
export async function queueJobCounts(queue: Queue): Promise<Record<QueueState, number>> {
  const counts = await queue.getJobCounts(...QUEUE_STATES);
  return Object.fromEntries(QUEUE_STATES.map((s) => [s, counts[s] ?? 0])) as Record<QueueState, number>;
}

/** Every queue's job counts by queue name. */
export async function allQueueJobCounts(queues: Queues): Promise<Record<QueueName, Record<QueueState, number>>> {
  const names = Object.keys(queues) as QueueName[];
  const counts = await Promise.all(names.map((name) => queueJobCounts(queues[name])));
  return Object.fromEntries(names.map((name, i) => [name, counts[i]!])) as Record<QueueName, Record<QueueState, number>>;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
