import { z } from 'zod';
import { lazyDependency } from '../../lazy-dependency.js';
import { id, throttle, timezone } from './builders.js';
import { parseDuration } from './duration.js';

// Read only to check a `digest:` that is not an interval: most configs never load the scheduler.
const cron = lazyDependency<typeof import('node-cron')>('node-cron');

/**
 * The fields every channel type accepts, and the config type a channel module gets. Channel modules
 * import this leaf; only the schema (`channelSchema`) aggregates the channel types.
 */

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use a 24-hour HH:MM time, e.g. 22:00');

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** A daily quiet window; alerts inside it are collected and sent as one digest when it ends. */
const muteWindow = z.strictObject({
  from: clock,
  to: clock,
  days: z.array(z.enum(WEEKDAYS)).optional(),
  timezone: timezone.default('UTC'),
});

/** A cron expression (`0 8 * * *`) or an interval (`1h`). */
const digestSchedule = z
  .string()
  .refine(
    (v) => parseDuration(v) !== undefined || cron().validate(v),
    'digest must be a cron expression such as "0 8 * * *" or an interval such as 1h',
  );

/** Fields every channel type accepts: how alerts are paced, independent of how they are sent. */
export const channelBase = {
  id: id('channel'),
  enabled: z.boolean().default(true),
  /** At most `max` alerts per `per`; the rest go into the next digest. */
  throttle: throttle.optional(),
  /** Collect alerts and send them as one message on this schedule instead of one by one. */
  digest: digestSchedule.optional(),
  mute: z.array(muteWindow).optional(),
};

/** A channel type's own schema with the fields every channel has. Distributes over a union of schemas. */
export type WithChannelBase<S> = S extends z.ZodObject ? z.ZodObject<S['shape'] & typeof channelBase, z.core.$strict> : never;
/** The validated config of one channel type, given its module's schema. */
export type ChannelConfigOf<S extends z.ZodObject> = z.output<WithChannelBase<S>>;
