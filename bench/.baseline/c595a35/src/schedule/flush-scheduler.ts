import type { Queue } from 'bullmq';
import type { Config } from '../config/load.js';
import { flushSchedules } from '../dispatch/route.js';
import type { Logger } from '../log/logger.js';
import type { FlushJob } from '../queues/queues.js';
import type { Pacing } from '../state/pacing.js';

/**
 * Keeps BullMQ's job schedulers for digest flushes in line with the config: one per channel digest
 * schedule, mute window end and throttle window. Upserts are idempotent, so any number of
 * schedulers may run this; schedulers no longer in the config are removed.
 */
export async function syncFlushSchedules(queue: Queue<FlushJob>, config: Config, pacing: Pacing, log: Logger): Promise<void> {
  const wanted = flushSchedules(config.channels, config.rules);
  for (const s of wanted) {
    await queue.upsertJobScheduler(s.id, s.repeat, { name: 'flush', data: { channelId: s.channelId, reason: s.reason } });
  }
  const wantedIds = new Set(wanted.map((s) => s.id));
  for (const existing of await queue.getJobSchedulers(0, -1)) {
    if (existing.key.startsWith('flush-') && !wantedIds.has(existing.key)) await queue.removeJobScheduler(existing.key);
  }
  // A channel whose digest, mute or throttle was just removed may still hold alerts: send them now.
  const scheduled = new Set(wanted.map((s) => s.channelId));
  for (const channel of config.channels) {
    if (scheduled.has(channel.id) || !(await pacing.hasPending(channel.id))) continue;
    await queue.add('flush', { channelId: channel.id, reason: 'digest' }, { jobId: `flush-${channel.id}-pending-${Date.now()}` });
    log.info({ channelId: channel.id }, 'channel no longer collects digests: sending what it held');
  }
  if (wanted.length > 0) log.info({ schedules: wanted.map((s) => s.id) }, 'digest flush schedules in place');
}
