import { Worker, type Job } from 'bullmq';
import { routeAlert } from '../src/dispatch/route.js';
import type { PipelineContext } from '../src/pipeline/context.js';
import { queueDeliveries } from '../src/pipeline/deliveries.js';
import { jobIds, QUEUE_NAMES, type AlertJob, type FlushJob } from '../src/queues/queues.js';

/**
 * Routes an alert to each of its rule's channels: one delivery job per channel now, or into the
 * channel's digest buffer (digest mode, mute window, throttle). A failing channel never blocks another.
 */
export async function processAlert(job: Job<AlertJob>, ctx: PipelineContext): Promise<{ sent: string[]; buffered: string[] }> {
  const config = ctx.config();
  const alert = job.data;
  const rule = config.rules.find((r) => r.id === alert.rule.id) ?? { id: alert.rule.id, throttle: undefined };
  const sent: Array<{ channelId: string; deliveryId: string }> = [];
  const buffered: string[] = [];
  const now = new Date();
  // Channels disabled by a missing env var are skipped here, not failed one by one later.
  for (const channel of config.channels.filter((c) => alert.channels.includes(c.id))) {
    const deliveryId = jobIds.delivery(alert.alertId, channel.id);
    const route = await routeAlert(channel, rule, now, (scope, max, per) => ctx.state.pacing.withinLimit(scope, max, per));
    if (route.action === 'send') {
      sent.push({ channelId: channel.id, deliveryId });
    } else {
      await ctx.state.pacing.buffer(channel.id, deliveryId, alert);
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
  const flushId = job.id ?? `${Date.now()}`;
  const alerts = await ctx.state.pacing.takeBuffer(channelId, flushId);
  if (alerts.length > 0) {
    const deliveryId = jobIds.digest(channelId, flushId);
    await queueDeliveries(ctx, { kind: 'digest', reason, alerts, timestamp: new Date().toISOString() }, [{ channelId, deliveryId }]);
    ctx.log.info({ channelId, alerts: alerts.length, reason }, 'digest queued');
  }
  await ctx.state.pacing.releaseBuffer(channelId, flushId);
  return { alerts: alerts.length };
}

export function createDispatchWorkers(ctx: PipelineContext): Worker[] {
  const { concurrency } = ctx.config().settings;
  return [
    new Worker<AlertJob>(QUEUE_NAMES.alerts, (job) => processAlert(job, ctx), ctx.workerOptions(concurrency.match)),
    new Worker<FlushJob>(QUEUE_NAMES.digests, (job) => processFlush(job, ctx), ctx.workerOptions(concurrency.match)),
  ];
}
