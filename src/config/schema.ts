import { z } from 'zod';
import { channelTypes } from '../alerts/channels/index.js';
import { parseDuration, parseSize } from './duration.js';

/**
 * The config contract (feeds.yaml, channels.yaml, rules/*.yaml, settings.yaml), validated once into
 * typed objects. Objects are strict: an unknown key is a typo, and typos must not be silent.
 */

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const id = (what: string) =>
  z.string().regex(ID, `${what} id must be letters, digits, '.', '_' or '-' (it becomes part of queue job ids)`);

const duration = (min = 0) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration: use e.g. 10s, 5m, 1h, 30d` });
      return z.NEVER;
    }
    if (ms < min) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is below the minimum of ${min / 1000}s` });
      return z.NEVER;
    }
    return ms;
  });

const size = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const bytes = parseSize(v);
  if (bytes === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a size: use e.g. 15MiB, 512KiB` });
    return z.NEVER;
  }
  return bytes;
});

export const MIN_FEED_INTERVAL_MS = 10_000;

export const feedSchema = z.strictObject({
  id: id('feed'),
  url: z.string().min(1, 'url is required: an http(s):// URL, a file:// URL or a local path'),
  interval: duration(MIN_FEED_INTERVAL_MS).optional(),
  tags: z.array(z.string()).default([]),
  enabled: z.boolean().default(true),
});

export const feedsFileSchema = z.strictObject({ feeds: z.array(feedSchema).default([]) });

export const channelBase = { id: id('channel'), enabled: z.boolean().default(true) };

type ChannelTypes = typeof channelTypes;
/** A channel type's own schema with the fields every channel has. Distributes over a union of schemas. */
type WithChannelBase<S> = S extends z.ZodObject ? z.ZodObject<S['shape'] & typeof channelBase, z.core.$strict> : never;
/** The validated config of one channel type, given its module's schema. */
export type ChannelConfigOf<S extends z.ZodObject> = z.output<WithChannelBase<S>>;

// Built from the channel registry: each type's module owns its fields, every type gets channelBase.
const channelObjects = Object.values(channelTypes).map((t) => t.schema.extend(channelBase));
export const channelSchema = z.discriminatedUnion(
  'type',
  channelObjects as unknown as [WithChannelBase<ChannelTypes[keyof ChannelTypes]['schema']>, ...WithChannelBase<ChannelTypes[keyof ChannelTypes]['schema']>[]],
);

export const channelsFileSchema = z.strictObject({ channels: z.array(channelSchema).default([]) });

export const ruleSchema = z.strictObject({
  id: id('rule'),
  name: z.string().min(1),
  query: z.string().min(1, 'query must not be empty'),
  exclude: z.string().optional(),
  channels: z.array(z.string()).min(1, 'a rule needs at least one channel'),
  enabled: z.boolean().default(true),
  feeds: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  max_age: duration().optional(),
  severity: z.enum(['info', 'low', 'medium', 'high', 'critical']).default('medium'),
  labels: z.record(z.string(), z.string()).default({}),
});

export const rulesFileSchema = z.strictObject({ rules: z.array(ruleSchema).default([]) });

export const settingsSchema = z.strictObject({
  redis: z
    .strictObject({
      url: z.string().optional(),
      prefix: z.string().regex(/^[^:\s]+$/, 'prefix must not contain ":" or spaces').default('newswatch'),
    })
    .prefault({}),
  concurrency: z
    .strictObject({
      fetch: z.number().int().positive().default(8),
      match: z.number().int().positive().default(2),
      deliver: z.number().int().positive().default(8),
    })
    .prefault({}),
  feeds: z
    .strictObject({
      default_interval: duration(MIN_FEED_INTERVAL_MS).prefault('5m'),
      timeout: duration(1).prefault('20s'),
      max_bytes: size.prefault('15MiB'),
      max_redirects: z.number().int().min(0).default(5),
      seen_ttl: duration(1).prefault('30d'),
      first_fetch_max_age: duration().prefault('24h'),
      user_agent: z.string().optional(),
    })
    .prefault({}),
  rules: z.strictObject({ default_max_age: duration().prefault('48h') }).prefault({}),
  alerts: z.strictObject({ dedup_ttl: duration(1).prefault('30d') }).prefault({}),
  delivery: z
    .strictObject({
      attempts: z.number().int().min(1).default(8),
      /** First retry delay; each later one doubles (with jitter). 30s over 8 attempts spans about an hour. */
      backoff: duration(1).prefault('30s'),
      timeout: duration(1).prefault('15s'),
    })
    .prefault({}),
  log: z
    .strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info') })
    .prefault({}),
  network: z
    .strictObject({
      /**
       * Refuse feeds and webhooks whose address (after DNS resolution) is loopback, private, link-local,
       * unique-local, CGNAT, multicast or otherwise not public: for configs written by less trusted people.
       */
      deny_private: z.boolean().default(false),
    })
    .prefault({}),
});

export type FeedConfig = z.infer<typeof feedSchema> & { interval: number };
export type ChannelConfig = z.infer<typeof channelSchema>;
export type RuleConfig = z.infer<typeof ruleSchema> & { source: { file: string; line: number } };
export type Settings = z.infer<typeof settingsSchema>;
