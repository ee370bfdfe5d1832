import type { JobsOptions } from 'bullmq';
import type { Message } from '../alerts/message.js';
import type { Settings } from '../config/schema.js';
import type { DeliveryJob } from '../queues/queues.js';
import type { PipelineContext } from './context.js';

/** Every delivery job gets the configured retry schedule: one attempt now plus one per listed delay. */
function deliveryJobOptions(settings: Settings, deliveryId: string): JobsOptions {
  return { jobId: deliveryId, attempts: settings.delivery.retry_schedule.length + 1, backoff: { type: 'schedule' } };
}

/** Queues one delivery job per target channel for the message: an alert, a digest or a notice. */
export async function queueDeliveries(
  ctx: PipelineContext,
  message: Message,
  targets: Array<{ channelId: string; deliveryId: string }>,
): Promise<void> {
  const { settings } = ctx.config();
  const jobs = targets.map(({ channelId, deliveryId }) => ({
    name: message.kind,
    data: { message, channelId, deliveryId } satisfies DeliveryJob,
    opts: deliveryJobOptions(settings, deliveryId),
  }));
  // addBulk builds an ioredis pipeline, which copies each of BullMQ's scripts onto itself: for one job, add.
  if (jobs.length === 1) await ctx.queues.deliveries.add(jobs[0]!.name, jobs[0]!.data, jobs[0]!.opts);
  else await ctx.queues.deliveries.addBulk(jobs);
}
