/**
 * When to queue feeds that are overdue all at once (a first start, a restart after downtime, a list
 * of feeds just added): one per host per `gapMs`, in list order. The gate at fetch time lets a host
 * have one request per gap anyway; queueing a host's backlog at that pace keeps the queue as short as
 * what can be fetched, instead of queueing everything at once and turning most of it away at the gate
 * (100,000 feeds on 1,000 hosts once queued 81,000 jobs in one go). Feeds without a host (local
 * files) are due at once. Returns each feed's due time, in the order given.
 */
export function catchUpTimes<F>(feeds: readonly F[], hostOf: (feed: F) => string | undefined, now: number, gapMs: number): number[] {
  const queuedPerHost = new Map<string, number>();
  return feeds.map((feed) => {
    const host = hostOf(feed);
    if (host === undefined || gapMs <= 0) return now;
    const before = queuedPerHost.get(host) ?? 0;
    queuedPerHost.set(host, before + 1);
    return now + before * gapMs;
  });
}
