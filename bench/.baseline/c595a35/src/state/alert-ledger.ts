import type { Redis } from 'ioredis';
import type { StateKeys } from './keys.js';

/**
 * Remembers which (rule, article) pairs have alerted, for longer than BullMQ keeps jobs, so a replayed
 * or re-fetched article never alerts twice. Written after the alert job is queued: between the two
 * steps a crash leaves the job id in BullMQ, which dedupes the retry.
 */
export class AlertLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
    private readonly ttlMs: number,
  ) {}

  async hasAlerted(ruleId: string, articleId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.alerted(ruleId, articleId))) === 1;
  }

  async record(ruleId: string, articleId: string): Promise<void> {
    await this.redis.set(this.keys.alerted(ruleId, articleId), String(Date.now()), 'PX', this.ttlMs);
  }
}
