import type { JobsOptions, Queue } from 'bullmq';
import type { Message } from '../alerts/message.js';
import type { Settings } from '../config/schema.js';
import { jobBatcher } from '../queues/job-batcher.js';
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
  // Delivery jobs queued in the same turn (a match batch's alerts) go to Redis together.
  const batcher = jobBatcher(ctx.queues.deliveries as Queue);
  await Promise.all(
    targets.map(({ channelId, deliveryId }) =>
      batcher.add(message.kind, { message, channelId, deliveryId } satisfies DeliveryJob, deliveryJobOptions(settings, deliveryId)),
    ),
  );
}
