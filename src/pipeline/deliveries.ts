import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { Message, Notice } from '../alerts/message.js';
import type { ChannelConfig, Settings } from '../config/schema.js';
import { jobIds, type DeliveryJob } from '../queues/queues.js';
import { withJitter } from '../retry/backoff.js';
import type { PipelineContext } from './context.js';

/** Every delivery job gets the configured retry schedule: one attempt now plus one per listed delay. */
function deliveryJobOptions(settings: Settings, deliveryId: string): JobsOptions {
  return { jobId: deliveryId, attempts: settings.delivery.retry_schedule.length + 1, backoff: { type: 'schedule' } };
}

/** Delay before retry number `attemptsMade` (1-based): the schedule's entry with ±20% jitter. */
export function scheduledRetryDelay(schedule: readonly number[], attemptsMade: number, random: () => number = Math.random): number {
  const base = schedule[Math.min(attemptsMade, schedule.length) - 1] ?? 0;
  return withJitter(base, random);
}

export async function queueDeliveries(ctx: PipelineContext, message: Message, targets: Array<{ channelId: string; deliveryId: string }>): Promise<void> {
  const { settings } = ctx.config();
  await ctx.queues.deliveries.addBulk(
    targets.map(({ channelId, deliveryId }) => ({
      name: message.kind,
      data: { message, channelId, deliveryId } satisfies DeliveryJob,
      opts: deliveryJobOptions(settings, deliveryId),
    })),
  );
}

/**
 * Tells people about newswatch's own trouble (a feed or channel failing, recovering): on the health
 * channels from settings, or every channel when none are named, never on the channel concerned.
 */
export async function queueNotice(ctx: PipelineContext, notice: Notice): Promise<void> {
  const config = ctx.config();
  const named = config.settings.health.channels;
  const targets = config.channels
    .filter((c) => (named.length === 0 || named.includes(c.id)) && !(notice.subject.kind === 'channel' && c.id === notice.subject.id))
    .map((c) => ({ channelId: c.id, deliveryId: jobIds.notice(notice.type, notice.subject.id, Date.parse(notice.timestamp), c.id) }));
  ctx.log.warn({ notice: notice.type, subject: notice.subject.id, channels: targets.map((t) => t.channelId) }, notice.title);
  await queueDeliveries(ctx, { kind: 'notice', notice }, targets);
}

/** Identifies one version of a channel's config: a channel disabled by a 410 comes back when its config changes. */
export function channelFingerprint(channel: ChannelConfig): string {
  return createHash('sha256').update(JSON.stringify(channel)).digest('base64url').slice(0, 16);
}
