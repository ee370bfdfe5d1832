import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Message } from '../alerts/message.js';
import type { Article } from '../feeds/article.js';
import type { RuleMatch } from '../rules/rule-set.js';

/**
 * The pipeline's queues and the payload each carries. One place owns names, job ids and options,
 * so producers and workers cannot drift apart.
 *
 *   scheduler -> fetch -> articles -> alerts -> deliveries
 *                                        \-> digest buffers -> digests (flush on schedule) -/
 */
export const QUEUE_NAMES = { fetch: 'fetch', articles: 'articles', alerts: 'alerts', deliveries: 'deliveries', digests: 'digests' } as const;

export interface FetchJob {
  feedId: string;
  /** Start of the time slot (epoch ms) this fetch belongs to. */
  slot: number;
}

export interface ArticleJob {
  article: Article;
}

/** The story an alert's article belongs to (near-duplicates from other feeds join it). */
export interface StoryRef {
  id: string;
  /** Distinct sources (feeds) that carried the story so far, including this article's. */
  sources: number;
  /** Links of the other articles of the story, first first. */
  links: string[];
}

export interface AlertJob {
  alertId: string;
  /** `alert.follow_up`: one update when a story reaches the rule's follow_up number of sources. */
  event: 'alert.matched' | 'alert.follow_up';
  rule: { id: string; name: string; severity: string; labels: Record<string, string> };
  channels: string[];
  article: Article;
  match: RuleMatch;
  matchedAt: string;
  story?: StoryRef;
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
  reason: 'digest' | 'throttle' | 'mute';
}

export interface JobPayloads {
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
  notice: (type: string, subjectId: string, at: number, channelId: string) => `notice-${type.replace('.', '-')}-${subjectId}-${at}-to-${channelId}`,
};

const DAY_S = 86_400;

/** Completed jobs are kept a while: a kept job id is what makes a duplicate add a no-op. */
export const defaultJobOptions: { [K in QueueName]: JobsOptions } = {
  // Fetch jobs set their own retention and deduplication (per slot) in the scheduler; a failed fetch is retried by the next slot.
  fetch: { attempts: 1 },
  // 12 attempts doubling from 1 s span about an hour: long enough to ride out a Redis failover.
  articles: { attempts: 12, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: { age: DAY_S }, removeOnFail: { age: 7 * DAY_S } },
  alerts: { attempts: 12, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: { age: 7 * DAY_S }, removeOnFail: { age: 30 * DAY_S } },
  deliveries: { removeOnComplete: { age: 7 * DAY_S }, removeOnFail: false },
  digests: { attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: { count: 1_000 }, removeOnFail: { age: 7 * DAY_S } },
};

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const make = <K extends QueueName>(name: K) =>
    new Queue<JobPayloads[K]>(QUEUE_NAMES[name], { connection, prefix, defaultJobOptions: defaultJobOptions[name] });
  return { fetch: make('fetch'), articles: make('articles'), alerts: make('alerts'), deliveries: make('deliveries'), digests: make('digests') };
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
