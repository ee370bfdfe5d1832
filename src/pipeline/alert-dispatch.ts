import type { AlertJob } from '../alerts/alert.js';
import { alertRoutePlans } from '../dispatch/route.js';
import { jobIds } from '../queues/queues.js';
import type { PipelineContext } from './context.js';
import { queueDeliveries } from './delivery-jobs.js';

/**
 * Routes an alert to each of its rule's channels: one delivery job per channel now, or into the
 * channel's digest buffer (digest mode, mute window, throttle). A failing channel never blocks another.
 * Safe to run again for the same alert: routes are stored per (alert, channel) and buffered with the
 * decision, and delivery jobs have deterministic ids.
 */
export async function dispatchAlert(ctx: PipelineContext, alert: AlertJob): Promise<{ sent: string[]; buffered: string[] }> {
  const config = ctx.config();
  const sent: Array<{ channelId: string; deliveryId: string }> = [];
  const buffered: string[] = [];
  const now = new Date();
  for (const { channelId, plan } of alertRoutePlans(alert, config.channels, config.ruleById, now)) {
    const deliveryId = jobIds.delivery(alert.alertId, channelId);
    // Throttles are counted, and a buffered alert buffered, where the route is decided: in one step in Redis.
    const route = await ctx.state.pacing.route(alert, channelId, deliveryId, plan, now.getTime());
    if (route.action === 'send') {
      sent.push({ channelId, deliveryId });
    } else {
      ctx.metrics.delivery(channelId, 'buffered');
      buffered.push(channelId);
      ctx.log.debug({ alertId: alert.alertId, channelId, reason: route.reason }, 'alert held for the next digest');
    }
  }
  await queueDeliveries(ctx, { kind: 'alert', alert }, sent);
  return { sent: sent.map((s) => s.channelId), buffered };
}
