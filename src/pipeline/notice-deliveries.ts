import type { Notice } from '../alerts/message.js';
import type { Config } from '../config/load.js';
import { jobIds } from '../queues/queues.js';
import type { PipelineContext } from './context.js';
import { queueDeliveries } from './delivery-jobs.js';

/**
 * Where a notice about newswatch's own trouble (a feed or channel failing, recovering) goes: the
 * health channels from settings, or every channel when none are named, never the channel concerned.
 */
export function noticeTargets(
  config: Pick<Config, 'settings' | 'channels'>,
  notice: Notice,
): Array<{ channelId: string; deliveryId: string }> {
  const named = config.settings.health.channels;
  return config.channels
    .filter((c) => (named.length === 0 || named.includes(c.id)) && !(notice.subject.kind === 'channel' && c.id === notice.subject.id))
    .map((c) => ({ channelId: c.id, deliveryId: jobIds.notice(notice.type, notice.subject.id, Date.parse(notice.timestamp), c.id) }));
}

/** Logs the notice and queues its deliveries. */
export async function queueNotice(ctx: PipelineContext, notice: Notice): Promise<void> {
  const targets = noticeTargets(ctx.config(), notice);
  ctx.log.warn({ notice: notice.type, subject: notice.subject.id, channels: targets.map((t) => t.channelId) }, notice.title);
  await queueDeliveries(ctx, { kind: 'notice', notice }, targets);
}
