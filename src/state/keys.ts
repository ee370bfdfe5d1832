/**
 * Every Redis key newswatch owns besides BullMQ's queues. Built in one place so a prefix change or a
 * Cluster hash tag applies everywhere.
 */
export function stateKeys(prefix: string) {
  return {
    feed: (feedId: string) => `${prefix}:feed:${feedId}`,
    /** The slot a feed was last fetched for, expiring when that slot ends. */
    feedClaim: (feedId: string) => `${prefix}:feed-claim:${feedId}`,
    /** Per-host politeness: the gap window's key prefix (rate-limiter-flexible adds `:host`). */
    hostGap: () => `${prefix}:host-gap`,
    /** Requests in flight to a host (redis-semaphore puts `semaphore:` in front). */
    hostBusy: (host: string) => `${prefix}:host-busy:${host}`,
    /** Feeds with state that are no longer configured, and since when (`FeedRetirement`). */
    absentFeeds: () => `${prefix}:feeds:absent`,
    /** The ids a feed has shown lately (`SeenItems`). */
    seenList: (feedId: string) => `${prefix}:feed:${feedId}:seen`,
    alerted: (ruleId: string, articleId: string) => `${prefix}:alerted:${ruleId}:${articleId}`,
    /** Set when an alert is first delivered anywhere, so its latency is measured once. */
    delivered: (alertId: string) => `${prefix}:delivered:${alertId}`,
    storyMember: (articleId: string) => `${prefix}:story:member:${articleId}`,
    /**
     * A story's hash (first article, first seen, title, article count); `:sources` and `:links` beside it.
     * `story('')` is the prefix the story script derives these and its band hashes (`bands:<gen>`) from.
     */
    story: (storyId: string) => `${prefix}:story:${storyId}`,
    storySources: (storyId: string) => `${prefix}:story:${storyId}:sources`,
    storyLinks: (storyId: string) => `${prefix}:story:${storyId}:links`,
    /** Which article of a story alerted for a rule (`follow` for the follow-up). */
    storyAlerted: (ruleId: string, storyId: string, what: 'first' | 'follow') => `${prefix}:story:${storyId}:${what}:${ruleId}`,
    /** The facts of a story's first alert for a rule, for its follow-up. */
    storyFacts: (ruleId: string, storyId: string) => `${prefix}:story:${storyId}:facts:${ruleId}`,
    channel: (channelId: string) => `${prefix}:channel:${channelId}`,
    throttle: (scope: string, windowStart: number) => `${prefix}:throttle:${scope}:${windowStart}`,
    digestBuffer: (channelId: string) => `${prefix}:digest:${channelId}`,
    digestTaking: (channelId: string) => `${prefix}:digest:${channelId}:taking`,
    /** How each channel of an alert was routed (send or buffer), fixed at the first dispatch attempt. */
    routes: (alertId: string) => `${prefix}:routes:${alertId}`,
    history: () => `${prefix}:alerts:history`,
  };
}

export type StateKeys = ReturnType<typeof stateKeys>;
