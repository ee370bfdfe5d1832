/**
 * Every Redis key newswatch owns besides BullMQ's queues. Built in one place so a prefix change or a
 * Cluster hash tag applies everywhere.
 */
export function stateKeys(prefix: string) {
  return {
    feed: (feedId: string) => `${prefix}:feed:${feedId}`,
    seen: (articleId: string) => `${prefix}:seen:${articleId}`,
    alerted: (ruleId: string, articleId: string) => `${prefix}:alerted:${ruleId}:${articleId}`,
    storyBand: (band: string) => `${prefix}:story:band:${band}`,
    storyMember: (articleId: string) => `${prefix}:story:member:${articleId}`,
    story: (storyId: string) => `${prefix}:story:${storyId}`,
    storySources: (storyId: string) => `${prefix}:story:${storyId}:sources`,
    storyLinks: (storyId: string) => `${prefix}:story:${storyId}:links`,
    storyArticles: (storyId: string) => `${prefix}:story:${storyId}:articles`,
    /** Which article of a story alerted for a rule (`follow` for the follow-up). */
    storyAlerted: (ruleId: string, storyId: string, what: 'first' | 'follow') => `${prefix}:story:${storyId}:${what}:${ruleId}`,
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
