import { Worker, type Job } from 'bullmq';
import { isMuted } from '../dispatch/mute.js';
import { planRoute } from '../dispatch/route.js';
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
  const rule = config.ruleById.get(alert.rule.id) ?? { id: alert.rule.id, throttle: undefined };
  const sent: Array<{ channelId: string; deliveryId: string }> = [];
  const buffered: string[] = [];
  const now = new Date();
  // Channels disabled by a missing env var are skipped here, not failed one by one later.
  for (const channel of config.channels.filter((c) => alert.channels.includes(c.id))) {
    const deliveryId = jobIds.delivery(alert.alertId, channel.id);
    const route = await ctx.state.pacing.route(alert.alertId, channel.id, planRoute(channel, rule, now), now.getTime());
    if (route.action === 'send') {
      sent.push({ channelId: channel.id, deliveryId });
    } else {
      await ctx.state.pacing.buffer(channel.id, deliveryId, alert);
      ctx.metrics.delivery(channel.id, 'buffered');
      buffered.push(channel.id);
      ctx.log.debug({ alertId: alert.alertId, channelId: channel.id, reason: route.reason }, 'alert held for the next digest');
    }
  }
  await queueDeliveries(ctx, { kind: 'alert', alert }, sent);
  return { sent: sent.map((s) => s.channelId), buffered };
}

/** Sends a channel's digest buffer as one message (nothing when it is empty). */
export async function processFlush(job: Job<FlushJob>, ctx: PipelineContext): Promise<{ alerts: number }> {
  const { channelId, reason } = job.data;
  const channel = ctx.config().channelById.get(channelId);
  // A throttle or digest flush inside a mute window waits for the window's own flush at its end.
  if (reason !== 'mute' && isMuted(channel?.mute, new Date())) return { alerts: 0 };
  const taken = await ctx.state.pacing.takeBuffer(channelId, job.id ?? `${Date.now()}`);
  if (taken.alerts.length > 0) {
    const deliveryId = jobIds.digest(channelId, taken.flushId);
    await queueDeliveries(ctx, { kind: 'digest', reason, alerts: taken.alerts, timestamp: new Date().toISOString() }, [{ channelId, deliveryId }]);
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
