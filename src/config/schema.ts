import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { STEM_LANGUAGES } from '../rules/stemming.js';
import { channelSchemas } from '../alerts/channels/channel-schemas.js';
import { duration, id, size, throttle, timezone } from './fields/builders.js';
import { channelBase, type WithChannelBase } from './fields/channel-fields.js';
import { closestName } from '../text/edit-distance.js';
import { DEFAULT_LISTEN, parseListenAddress } from '../net/listen-address.js';

/**
 * The config contract (feeds.yaml, channels.yaml, rules/*.yaml, settings.yaml), validated once into
 * typed objects. Objects are strict: an unknown key is a typo, and typos must not be silent.
 */

const MIN_FEED_INTERVAL_MS = 10_000;

const redisNode = z.strictObject({ host: z.string().min(1), port: z.coerce.number().int().positive() });

/**
 * What is wrong with a feed's url, if anything: http(s) and file: URLs and local paths are read; any
 * other scheme (`htps://`, `feed://`) would otherwise be taken for a relative file name.
 */
function feedUrlProblem(url: string): string | undefined {
  // One letter before ':' is a Windows drive (C:\feeds\x.xml), not a scheme.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return undefined;
  if (scheme === 'http' || scheme === 'https') {
    if (!/^https?:\/\/[^/?#]/i.test(url) || !URL.canParse(url))
      return `"${url}" is not a valid ${scheme} URL: write it as ${scheme}://host/path`;
    return undefined;
  }
  if (scheme === 'file')
    return isLocalFileUrl(url) ? undefined : `"${url}" is not a valid file URL: write file:///absolute/path or just the path`;
  const close = closestName(scheme, ['https', 'http', 'file']);
  return `unknown URL scheme "${scheme}:"${close ? ` (did you mean "${close}:"?)` : ''}: use http://, https://, file:// or a local path`;
}

/** file:///path (or file://localhost/path): a file on this host. */
function isLocalFileUrl(url: string): boolean {
  try {
    fileURLToPath(url);
    return /^file:\/\//i.test(url);
  } catch {
    return false; // another host, or an encoded slash
  }
}

export const feedSchema = z.strictObject({
  id: id('feed'),
  url: z
    .string()
    .min(1, 'url is required: an http(s):// URL, a file:// URL or a local path')
    .superRefine((url, ctx) => {
      const problem = feedUrlProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  interval: duration(MIN_FEED_INTERVAL_MS).optional(),
  /** Ceiling for server hints (Cache-Control, Expires, RSS ttl) that ask for slower polling. */
  max_interval: duration(MIN_FEED_INTERVAL_MS).optional(),
  tags: z.array(z.string()).default([]),
  enabled: z.boolean().default(true),
});

export const feedsFileSchema = z.strictObject({ feeds: z.array(feedSchema).default([]) });

type ChannelTypeSchema = (typeof channelSchemas)[keyof typeof channelSchemas];
// Each channel type's own fields (alerts/channels/channel-schemas.ts), every type with channelBase.
const channelObjects = Object.values(channelSchemas).map((schema) => schema.extend(channelBase));
export const channelSchema = z.discriminatedUnion(
  'type',
  channelObjects as unknown as [WithChannelBase<ChannelTypeSchema>, ...WithChannelBase<ChannelTypeSchema>[]],
);

export const channelsFileSchema = z.strictObject({ channels: z.array(channelSchema).default([]) });

// src/config/rules-fast-path.ts checks the usual rule by hand and must accept no more than this does: change it with
// this schema (its test fails until test/unit/config/rule-schema.checked.json is brought in line too).
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
  /** At most `max` alerts of this rule per `per` (per channel); the rest go into the channels' next digest. */
  throttle: throttle.optional(),
  /** Send one update when a story this rule alerted on reaches this many sources. */
  follow_up: z.number().int().min(2).optional(),
  severity: z.enum(['info', 'low', 'medium', 'high', 'critical']).default('medium'),
  labels: z.record(z.string(), z.string()).default({}),
  /** Match every term in this language's script by its Snowball stem. */
  stem: z.enum(STEM_LANGUAGES as [string, ...string[]]).optional(),
});

export const rulesFileSchema = z.strictObject({ rules: z.array(ruleSchema).default([]) });

/** `terms.yaml`: named sets of terms and phrases, used in queries as `@name`. */
export const termsFileSchema = z.strictObject({
  terms: z
    .record(z.string(), z.array(z.string().min(1, 'a term must not be empty')).min(1, 'a term set needs at least one member'))
    .default({}),
});

export const settingsSchema = z.strictObject({
  redis: z
    .strictObject({
      url: z.string().optional(),
      /** Sentinel: the sentinels to ask, and the name of the primary they watch. */
      sentinels: z.array(redisNode).min(1).optional(),
      name: z.string().optional(),
      /** Cluster: some of its nodes; the rest are discovered. */
      cluster: z.array(redisNode).min(1).optional(),
      /** For Sentinel and Cluster (a URL carries its own). */
      password: z.string().optional(),
      prefix: z
        .string()
        .regex(/^[^:\s]+$/, 'prefix must not contain ":" or spaces')
        .default('newswatch'),
      /**
       * Whether newswatch starts its own redis-server: `auto` when nothing is configured and nothing answers
       * on the default address; `never`; `always` (at redis.url's address or the default, data in ./data/redis).
       */
      managed: z.enum(['auto', 'never', 'always']).default('auto'),
    })
    .superRefine((redis, ctx) => {
      if (redis.managed === 'always' && (redis.sentinels || redis.cluster)) {
        ctx.addIssue({
          code: 'custom',
          path: ['managed'],
          message: 'managed: always starts one local redis-server; it cannot be combined with sentinels or cluster',
        });
      }
      if (redis.sentinels && redis.cluster)
        ctx.addIssue({ code: 'custom', path: ['cluster'], message: 'use either sentinels or cluster, not both' });
      if (redis.sentinels && !redis.name)
        ctx.addIssue({ code: 'custom', path: ['name'], message: 'name the primary the sentinels watch (e.g. mymaster)' });
      // Lua scripts and transactions touch several keys: on a Cluster they must share one slot.
      if (redis.cluster && !/\{[^}]+\}/.test(redis.prefix))
        ctx.addIssue({ code: 'custom', path: ['prefix'], message: 'on a Cluster the prefix needs a hash tag, e.g. "{newswatch}"' });
    })
    .prefault({}),
  /**
   * BullMQ job locks: a worker that dies (kill -9) loses its jobs' locks after lock_duration, and the
   * stalled check (every stalled_interval) gives them to another worker. Same for every worker.
   * max_stalled: how many times a job may lose its worker before it is failed (logged, kept, and
   * re-run by `newswatch jobs retry`); BullMQ's own default of 1 fails it on the second crash.
   */
  workers: z
    .strictObject({
      lock_duration: duration(1_000).prefault('30s'),
      stalled_interval: duration(1_000).prefault('30s'),
      max_stalled: z.number().int().min(0).default(5),
    })
    .prefault({}),
  concurrency: z
    .strictObject({
      // Fetches are network-bound: feeds that time out hold a slot for 20 s, so a few slots stall fast.
      fetch: z.number().int().positive().default(32),
      match: z.number().int().positive().default(2),
      /** Routing alerts and flushing digests (the deliver role's dispatch workers); like matching, Redis-bound. */
      dispatch: z.number().int().positive().optional(),
      deliver: z.number().int().positive().default(8),
    })
    .prefault({})
    .transform(({ dispatch, ...rest }) => ({ ...rest, dispatch: dispatch ?? rest.match })),
  feeds: z
    .strictObject({
      default_interval: duration(MIN_FEED_INTERVAL_MS).prefault('5m'),
      timeout: duration(1).prefault('20s'),
      max_bytes: size.prefault('15MiB'),
      max_redirects: z.number().int().min(0).default(5),
      seen_ttl: duration(1).prefault('30d'),
      /** How long the state of a feed taken out of feeds.yaml is kept (in case it comes back), then deleted. */
      forget_removed_after: duration(1).prefault('7d'),
      first_fetch_max_age: duration().prefault('24h'),
      user_agent: z.string().optional(),
      /** Default ceiling for server freshness hints; a feed's own `max_interval` wins. */
      max_interval: duration(MIN_FEED_INTERVAL_MS).prefault('1h'),
      /**
       * Politeness per host, across every fetch process on one Redis: requests in flight, and the gap
       * between request starts (kept in Redis in whole seconds).
       */
      per_host_concurrency: z.number().int().positive().default(2),
      per_host_gap: duration()
        .refine((ms) => ms % 1_000 === 0, 'use whole seconds, e.g. 1s or 2s (0s for no gap)')
        .prefault('1s'),
    })
    .prefault({}),
  rules: z.strictObject({ default_max_age: duration().prefault('48h') }).prefault({}),
  alerts: z
    .strictObject({
      dedup_ttl: duration(1).prefault('30d'),
      /** How many alert-history entries Redis keeps (a capped stream). */
      history: z.number().int().positive().default(10_000),
      /** The readers' time zone (IANA name): times in alerts are shown in it. */
      timezone: timezone.default('UTC'),
    })
    .prefault({}),
  stories: z
    .strictObject({
      /** How long a story stays open for copies to join it. */
      window: duration(60_000).prefault('72h'),
      /** Smallest shingle overlap (0-1) at which two articles are one story. */
      overlap: z.number().gt(0).max(1).optional(),
    })
    .prefault({}),
  health: z
    .strictObject({
      /** Channels that receive feed and channel health notices. */
      channels: z.array(z.string()).default([]),
      /** Consecutive failures after which a feed is reported unhealthy. */
      feed_failures: z.number().int().positive().default(10),
      /** How long a channel may keep failing before it is reported unhealthy. */
      channel_failing_for: duration(1).prefault('24h'),
    })
    .prefault({}),
  delivery: z
    .strictObject({
      /**
       * Delays before each retry (with ±20% jitter): the first attempt is immediate. The default is the
       * Standard Webhooks / Svix schedule: 8 attempts over about 27 hours.
       */
      retry_schedule: z.array(duration()).min(0).prefault(['5s', '5m', '30m', '2h', '5h', '10h', '10h']),
      timeout: duration(1).prefault('15s'),
    })
    .prefault({}),
  log: z.strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info') }).prefault({}),
  http: z
    .strictObject({
      /** Where /healthz, /readyz, /metrics, /-/reload and the status page are served; `off` disables it. */
      listen: z
        .union([z.string(), z.literal(false)])
        .transform((v) => (v === false ? 'off' : v))
        .refine(
          (v) => {
            // 'off' parses to a string, an address or a problem to an object.
            const parsed = parseListenAddress(v);
            return typeof parsed !== 'object' || !('error' in parsed);
          },
          { error: (issue) => (parseListenAddress(String(issue.input)) as { error: string }).error },
        )
        .default(DEFAULT_LISTEN),
      /**
       * Required to listen beyond loopback (/healthz and /readyz stay open): a bearer token, or basic auth
       * with a bcrypt hash. Give the secret through an env var: `bearer_token: ${NEWSWATCH_HTTP_TOKEN}`.
       */
      auth: z
        .union([
          z.strictObject({
            bearer_token: z
              .string()
              .min(16, 'bearer_token must be at least 16 characters: set it from an env var, e.g. ${NEWSWATCH_HTTP_TOKEN}'),
          }),
          z.strictObject({
            basic: z.strictObject({
              user: z.string().min(1),
              password_hash: z
                .string()
                .regex(
                  /^\$2[aby]\$\d\d\$.{53}$/,
                  'password_hash must be a bcrypt hash (make one with: npx bcrypt "the password"); set it from an env var',
                ),
            }),
          }),
        ])
        .optional(),
      /** The BullMQ queue UI at /queues: off, read (look only), or write (retry, remove, promote jobs). */
      queues_ui: z.enum(['off', 'read', 'write']).default('off'),
      /** How often the status page reloads itself. */
      refresh: duration(1_000).prefault('15s'),
      /** Where people reach newswatch's HTTP listener (its status page); alert emails link to it when set. */
      public_url: z
        .url({ protocol: /^https?$/, error: 'public_url must be an http(s) URL, e.g. https://newswatch.example.org/' })
        .optional(),
    })
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
