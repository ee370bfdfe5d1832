import type { Redis } from 'ioredis';
import type { StateKeys } from './keys.js';

/**
 * Which article ids newswatch has already taken in, with a TTL so the set does not grow forever.
 * Keys are global (not per feed): the same article reached through two feeds is one article.
 */
export class SeenItems {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
    private readonly ttlMs: number,
  ) {}

  /** The ids among `ids` not seen before, in the same order. */
  async unseen(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.exists(this.keys.seen(id));
    const results = (await pipeline.exec()) ?? [];
    return ids.filter((_, i) => {
      const [err, exists] = results[i] ?? [new Error('no reply'), 1];
      if (err) throw err;
      return exists === 0;
    });
  }

  /** Marks ids as seen; call only after their articles are safely queued, so a crash loses nothing. */
  async markSeen(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.set(this.keys.seen(id), '1', 'PX', this.ttlMs);
    await pipeline.exec();
  }
}
