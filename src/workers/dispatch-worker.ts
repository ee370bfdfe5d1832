import { Worker, type Job } from 'bullmq';
import { flushWaitsForMuteEnd } from '../dispatch/route.js';
import { dispatchAlert } from '../pipeline/alert-dispatch.js';
import type { PipelineContext } from '../pipeline/context.js';
import { queueDeliveries } from '../pipeline/delivery-jobs.js';
import { jobIds, QUEUE_NAMES, type FlushJob } from '../queues/queues.js';
import type { AlertJob } from '../alerts/alert.js';

/** Sends a channel's digest buffer as one message (nothing when it is empty). */
export async function processFlush(job: Job<FlushJob>, ctx: PipelineContext): Promise<{ alerts: number }> {
  const { channelId, reason } = job.data;
  if (flushWaitsForMuteEnd(reason, ctx.config().channelById.get(channelId), new Date())) return { alerts: 0 };
  const taken = await ctx.state.pacing.takeBuffer(channelId, job.id ?? `${Date.now()}`);
  if (taken.alerts.length > 0) {
    const deliveryId = jobIds.digest(channelId, taken.flushId);
    await queueDeliveries(ctx, { kind: 'digest', reason, alerts: taken.alerts, timestamp: new Date().toISOString() }, [
      { channelId, deliveryId },
    ]);
    ctx.log.info({ channelId, alerts: taken.alerts.length, reason }, 'digest queued');
  }
  await ctx.state.pacing.releaseBuffer(channelId);
  return { alerts: taken.alerts.length };
}

/**
 * The alerts queue holds the alerts of match jobs that ran in a process without the deliver role (a
 * process with it routes its alerts in the match job, see `createMatchWorker`), and retried failed jobs.
 */
export function createDispatchWorkers(ctx: PipelineContext): Worker[] {
  const { concurrency } = ctx.config().settings;
  return [
    new Worker<AlertJob>(QUEUE_NAMES.alerts, (job) => dispatchAlert(ctx, job.data), ctx.workerOptions(concurrency.dispatch)),
    new Worker<FlushJob>(QUEUE_NAMES.digests, (job) => processFlush(job, ctx), ctx.workerOptions(concurrency.dispatch)),
  ];
}
