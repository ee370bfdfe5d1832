import type { Redis } from 'ioredis';
import type { StateKeys } from './keys.js';

/** One line of the alert history: an alert created, or one delivery attempt. */
export type HistoryEntry =
  | { event: 'alert'; alertId: string; ruleId: string; articleId: string; title: string; link: string; storyId?: string; channels: string[] }
  | { event: 'delivery'; deliveryId: string; alertId: string; channelId: string; kind: string; attempt: number; ok: boolean; error?: string };

export type TimedEntry = HistoryEntry & { at: number };

/** The alert history: a capped Redis stream, newest entries kept, oldest trimmed. */
export class AlertHistory {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
    private readonly maxEntries: number,
  ) {}

  async record(entry: HistoryEntry): Promise<void> {
    await this.redis.xadd(this.keys.history(), 'MAXLEN', '~', this.maxEntries, '*', 'e', JSON.stringify(entry));
  }

  /** Entries at or after `sinceMs`, oldest first. */
  async since(sinceMs: number): Promise<TimedEntry[]> {
    const rows = await this.redis.xrange(this.keys.history(), String(sinceMs), '+');
    return rows.map(([id, fields]) => ({ ...(JSON.parse(fields[1] ?? '{}') as HistoryEntry), at: Number(id.split('-')[0]) }));
  }
}
