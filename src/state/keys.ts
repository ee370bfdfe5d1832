/**
 * Every Redis key newswatch owns besides BullMQ's queues. Built in one place so a prefix change or a
 * Cluster hash tag applies everywhere.
 */
export function stateKeys(prefix: string) {
  return {
    feed: (feedId: string) => `${prefix}:feed:${feedId}`,
    seen: (articleId: string) => `${prefix}:seen:${articleId}`,
    alerted: (ruleId: string, articleId: string) => `${prefix}:alerted:${ruleId}:${articleId}`,
  };
}

export type StateKeys = ReturnType<typeof stateKeys>;
