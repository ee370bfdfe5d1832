import { createHash } from 'node:crypto';
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
 * An article as a match job stores it: the text once. `content` is left out when it equals the
 * summary (a description-only RSS item), and the original HTML is not kept (nothing after parsing reads it).
 */
type StoredArticle = Omit<Article, 'html' | 'content'> & { content?: string };

/** One article: a fetch with one new item, an article of a batch that failed on its own, or a job queued before batches. */
export interface ArticleJob {
  article: StoredArticle;
}

/**
 * The new articles of one fetch, matched in one job: a job per article cost as much CPU and Redis time
 * as matching it (BullMQ moves, stores and finishes each one). An article that fails goes on as its
 * own `ArticleJob` with the usual retries, so it never holds back the others.
 */
export interface ArticleBatchJob {
  articles: StoredArticle[];
}

/** What the articles queue carries: both shapes, whichever a fetch queued. */
export type MatchJob = ArticleJob | ArticleBatchJob;

/** Articles per batch job at most: a feed's first fetch (or a large feed) makes several. */
export const ARTICLE_BATCH_MAX = 50;

function storedArticle(article: Article): StoredArticle {
  const { html: _html, content, ...rest } = article;
  return content === article.summary ? rest : { ...rest, content };
}

const articleOf = (stored: StoredArticle): Article => ({ ...stored, content: stored.content ?? stored.summary });

export function articleJob(article: Article): ArticleJob {
  return { article: storedArticle(article) };
}

/** The match job of one article on its own, by its `article-` id. */
export function singleArticleJob(article: Article): { name: string; data: ArticleJob; opts: JobsOptions } {
  return { name: 'article', data: articleJob(article), opts: { jobId: jobIds.article(article.id) } };
}

export function jobArticle(job: ArticleJob): Article {
  return articleOf(job.article);
}

/** The articles a match job carries, in either shape. */
export function jobArticles(job: MatchJob): Article[] {
  return 'articles' in job ? job.articles.map(articleOf) : [articleOf(job.article)];
}

/**
 * The match jobs for one fetch's new articles: one `ArticleJob` for a single article (the usual poll
 * of a live feed, with its `article-` job id as before), else batches of up to `ARTICLE_BATCH_MAX`.
 * Ids are deterministic: a fetch retried before it marked its items seen queues the same jobs again,
 * which BullMQ ignores while they exist; should the set differ, the ledger keeps an article from alerting twice.
 */
export function matchJobs(articles: readonly Article[]): Array<{ name: string; data: MatchJob; opts: JobsOptions }> {
  if (articles.length === 1) return [singleArticleJob(articles[0]!)];
  const jobs = [];
  for (let i = 0; i < articles.length; i += ARTICLE_BATCH_MAX) {
    const batch = articles.slice(i, i + ARTICLE_BATCH_MAX);
    jobs.push({
      name: 'articles',
      data: { articles: batch.map(storedArticle) },
      opts: {
        jobId: jobIds.articleBatch(
          batch[0]!.feedId,
          batch.map((a) => a.id),
        ),
      },
    });
  }
  return jobs;
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
  articles: MatchJob;
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
  /** A batch by its feed and a digest of its article ids (in order). */
  articleBatch: (feedId: string, articleIds: readonly string[]) =>
    `articles-${feedId}-${createHash('sha1').update(articleIds.join('\n')).digest('base64url').slice(0, 16)}`,
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
