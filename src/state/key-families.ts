/**
 * Every family of Redis keys newswatch writes, with what bounds it: docs/architecture.md lists the same
 * families with their measured sizes, the key-bounds test checks that every key a pipeline run leaves
 * without a TTL belongs to a family bounded otherwise, and the Redis benchmark groups its measurements
 * by family.
 */
export interface KeyFamily {
  name: string;
  /** Matches the key after `<prefix>:`. */
  pattern: RegExp;
  /**
   * `ttl`: every key expires. `capped`: keys without a TTL whose number and size are capped (a count, a
   * trim, emptied on each flush). `config`: one key per configured feed or channel, removed with it.
   */
  bound: 'ttl' | 'capped' | 'config';
  /** The bound, in words, for docs and test failures. */
  rule: string;
}

const QUEUES = '(?:fetch|articles|alerts|deliveries|digests)';

/** In match order: the first family whose pattern matches a key is its family. */
const KEY_FAMILIES: readonly KeyFamily[] = [
  {
    name: 'seen lists',
    pattern: /^feed:[^:]+:seen$/,
    bound: 'ttl',
    rule: 'per feed, 8 B per id, at most max(100, 3 x listing) ids; expires seen_ttl after the last fetch',
  },
  {
    name: 'feed state',
    pattern: /^feed:[^:]+$/,
    bound: 'config',
    rule: 'one hash per feed; deleted feeds.forget_removed_after after the feed leaves feeds.yaml',
  },
  {
    name: 'absent feeds',
    pattern: /^feeds:absent$/,
    bound: 'capped',
    rule: 'one hash, a field per removed feed still in its grace period',
  },
  { name: 'alert ledger', pattern: /^alerted:/, bound: 'ttl', rule: 'one key per (rule, matched article); expires alerts.dedup_ttl' },
  { name: 'story members', pattern: /^story:member:/, bound: 'ttl', rule: 'one per matched article; expires stories.window' },
  {
    name: 'story bands',
    pattern: /^story:bands:/,
    bound: 'ttl',
    rule: 'one hash per generation (window/4), 48 fields per matched article; a generation expires a window after it ends',
  },
  {
    name: 'story claims',
    pattern: /^story:[^:]+:(?:first|follow|facts):/,
    bound: 'ttl',
    rule: 'per (rule, story) that alerted: which article alerted, and the facts of the first alert; expire stories.window',
  },
  {
    name: 'stories',
    pattern: /^story:[^:]+(?::sources|:links)?$/,
    bound: 'ttl',
    rule: 'hash, sources (<= 500) and links (<= 50) per story; expire stories.window after the last copy',
  },
  {
    name: 'feed claims',
    pattern: /^feed-claim:/,
    bound: 'ttl',
    rule: 'one string per feed: the slot it was last fetched for; expires when that slot ends',
  },
  {
    name: 'first deliveries',
    pattern: /^delivered:/,
    bound: 'ttl',
    rule: 'one per delivered alert, so its latency is measured once; expires alerts.dedup_ttl',
  },
  {
    name: 'host gaps',
    pattern: /^host-gap:/,
    bound: 'ttl',
    rule: "per host, rate-limiter-flexible's window; expires feeds.per_host_gap after a request starts",
  },
  // redis-semaphore writes `semaphore:<prefix>:host-busy:<host>`, outside the prefix: a scan of the prefix never sees it.
  {
    name: 'host semaphores',
    pattern: /^host-busy:/,
    bound: 'ttl',
    rule: 'per host, the fetches in flight; expires feeds.timeout + 30 s after the last acquire',
  },
  { name: 'channel health', pattern: /^channel:/, bound: 'config', rule: 'one small hash per channel id that ever failed' },
  { name: 'throttle counters', pattern: /^throttle:/, bound: 'ttl', rule: 'per throttle scope and window; expires after two windows' },
  {
    name: 'digest buffers',
    pattern: /^digest:/,
    bound: 'capped',
    rule: 'per channel, the alerts held until the next flush; emptied by each flush',
  },
  { name: 'alert routes', pattern: /^routes:/, bound: 'ttl', rule: 'per alert; expires after 7 days' },
  { name: 'alert history', pattern: /^alerts:history$/, bound: 'capped', rule: 'one stream, trimmed to alerts.history entries' },
  {
    name: 'queue jobs',
    pattern: new RegExp(
      `^${QUEUES}:(?!(?:wait|active|paused|completed|failed|delayed|prioritized|waiting-children|meta|id|events|marker|stalled|stalled-check|pc|limiter|repeat|de)(?::|$))`,
    ),
    bound: 'capped',
    rule: 'job hashes: completed and failed jobs kept by count and age per queue (queues.ts, failed-retention.ts)',
  },
  {
    name: 'queue structures',
    pattern: new RegExp(`^${QUEUES}:`),
    bound: 'capped',
    rule: "BullMQ's lists, sets and the events stream (about 10,000 events per queue); dedup keys expire",
  },
];

export function keyFamily(keyWithoutPrefix: string): KeyFamily | undefined {
  return KEY_FAMILIES.find((family) => family.pattern.test(keyWithoutPrefix));
}
