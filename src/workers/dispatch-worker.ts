import { Worker, type Job } from 'bullmq';
import { alertRoutePlans, flushWaitsForMuteEnd } from '../dispatch/route.js';
import type { PipelineContext } from '../pipeline/context.js';
import { queueDeliveries } from '../pipeline/delivery-jobs.js';
import { jobIds, QUEUE_NAMES, type FlushJob } from '../queues/queues.js';
import type { AlertJob } from '../alerts/alert.js';

/**
 * Routes an alert to each of its rule's channels: one delivery job per channel now, or into the
 * channel's digest buffer (digest mode, mute window, throttle). A failing channel never blocks another.
 */
async function processAlert(job: Job<AlertJob>, ctx: PipelineContext): Promise<{ sent: string[]; buffered: string[] }> {
  const config = ctx.config();
  const alert = job.data;
  const sent: Array<{ channelId: string; deliveryId: string }> = [];
  const buffered: string[] = [];
  const now = new Date();
  for (const { channelId, plan } of alertRoutePlans(alert, config.channels, config.ruleById, now)) {
    const deliveryId = jobIds.delivery(alert.alertId, channelId);
    // Throttles are counted where they are decided, in one step in Redis.
    const route = await ctx.state.pacing.route(alert.alertId, channelId, plan, now.getTime());
    if (route.action === 'send') {
      sent.push({ channelId, deliveryId });
    } else {
      await ctx.state.pacing.buffer(channelId, deliveryId, alert);
      ctx.metrics.delivery(channelId, 'buffered');
      buffered.push(channelId);
      ctx.log.debug({ alertId: alert.alertId, channelId, reason: route.reason }, 'alert held for the next digest');
    }
  }
  await queueDeliveries(ctx, { kind: 'alert', alert }, sent);
  return { sent: sent.map((s) => s.channelId), buffered };
}

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

export function createDispatchWorkers(ctx: PipelineContext): Worker[] {
  const { concurrency } = ctx.config().settings;
  return [
    new Worker<AlertJob>(QUEUE_NAMES.alerts, (job) => processAlert(job, ctx), ctx.workerOptions(concurrency.dispatch)),
    new Worker<FlushJob>(QUEUE_NAMES.digests, (job) => processFlush(job, ctx), ctx.workerOptions(concurrency.dispatch)),
  ];
}
