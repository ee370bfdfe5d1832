import type { Cluster, Redis } from 'ioredis';
import type { StateKeys } from './keys.js';

export interface RetirementPlan {
  /** Feeds with state that left the config just now: their grace period starts. */
  markAbsent: string[];
  /** Feeds back in the config before their grace period ended. */
  clearAbsent: string[];
  /** Feeds absent for longer than the grace period: their state goes. */
  forget: string[];
}

/**
 * What to do with the state of feeds no longer in feeds.yaml: keep it for a grace period (a feed taken
 * out by mistake and put back keeps its validators and seen list, so it does not seed history again),
 * then delete it.
 */
export function planRetirement(
  withState: Iterable<string>,
  configured: ReadonlySet<string>,
  absentSince: Readonly<Record<string, number>>,
  now: number,
  graceMs: number,
): RetirementPlan {
  const plan: RetirementPlan = { markAbsent: [], clearAbsent: [], forget: [] };
  const present = new Set(withState);
  for (const id of present) {
    if (configured.has(id)) continue;
    const since = absentSince[id];
    if (since === undefined) plan.markAbsent.push(id);
    else if (now - since >= graceMs) plan.forget.push(id);
  }
  for (const id of Object.keys(absentSince)) {
    if (configured.has(id) || !present.has(id)) plan.clearAbsent.push(id);
  }
  return plan;
}

/**
 * Finds the feeds that have state in Redis (a SCAN over `<prefix>:feed:*`, cheap at a sweep every few
 * minutes) and applies `planRetirement`. The absent feeds and since when are one small hash.
 */
export class FeedRetirement {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  async sweep(configured: ReadonlySet<string>, graceMs: number, now = Date.now()): Promise<RetirementPlan> {
    const withState = await this.feedsWithState();
    const absentSince = Object.fromEntries(
      Object.entries(await this.redis.hgetall(this.keys.absentFeeds())).map(([id, at]) => [id, Number(at)]),
    );
    const plan = planRetirement(withState, configured, absentSince, now, graceMs);
    const multi = this.redis.multi();
    if (plan.markAbsent.length > 0) multi.hset(this.keys.absentFeeds(), Object.fromEntries(plan.markAbsent.map((id) => [id, now])));
    const cleared = [...plan.clearAbsent, ...plan.forget];
    if (cleared.length > 0) multi.hdel(this.keys.absentFeeds(), ...cleared);
    for (const id of plan.forget) multi.del(this.keys.feed(id), this.keys.seenList(id));
    await multi.exec();
    return plan;
  }

  private async feedsWithState(): Promise<Set<string>> {
    const pattern = this.keys.feed('*');
    const stem = pattern.length - 1;
    const nodes = 'nodes' in this.redis ? (this.redis as unknown as Cluster).nodes('master') : [this.redis];
    const ids = new Set<string>();
    for (const node of nodes) {
      for await (const batch of node.scanStream({ match: pattern, count: 1_000 }) as AsyncIterable<string[]>) {
        for (const key of batch) ids.add(key.slice(stem).split(':')[0]!);
      }
    }
    return ids;
  }
}
