import type { WorkerOptions } from 'bullmq';
import type { Settings } from '../config/schema.js';

/**
 * The lock and stall settings every BullMQ worker of newswatch gets, from `settings.workers`. They must
 * be the same on every worker: the stalled check is gated by a key whose expiry comes from whichever
 * worker ran it last.
 *
 * `maxStalledCount` is set on purpose: BullMQ's default of 1 fails a job the second time its worker
 * dies while holding it (a crash loop or two `kill -9`s during a deploy), whatever `attempts` says.
 */
export function jobLockOptions(workers: Settings['workers']): Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount'> {
  return { lockDuration: workers.lock_duration, stalledInterval: workers.stalled_interval, maxStalledCount: workers.max_stalled };
}
