import type { Queue } from 'bullmq';
import type { Config } from '../config/load.js';
import { flushSchedules } from '../dispatch/route.js';
import type { Logger } from '../log/logger.js';
import type { FlushJob } from '../queues/queues.js';

/**
 * Keeps BullMQ's job schedulers for digest flushes in line with the config: one per channel digest
 * schedule, mute window end and throttle window. Upserts are idempotent, so any number of
 * schedulers may run this; schedulers no longer in the config are removed.
 */
export async function syncFlushSchedules(queue: Queue<FlushJob>, config: Config, log: Logger): Promise<void> {
  const wanted = flushSchedules(config.channels, config.rules);
  for (const s of wanted) {
    await queue.upsertJobScheduler(s.id, s.repeat, { name: 'flush', data: { channelId: s.channelId, reason: s.reason } });
  }
  const wantedIds = new Set(wanted.map((s) => s.id));
  for (const existing of await queue.getJobSchedulers(0, -1)) {
    if (existing.key.startsWith('flush-') && !wantedIds.has(existing.key)) await queue.removeJobScheduler(existing.key);
  }
  if (wanted.length > 0) log.info({ schedules: wanted.map((s) => s.id) }, 'digest flush schedules in place');
}
