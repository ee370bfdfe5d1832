import type { Redis } from 'ioredis';
import type { StateKeys } from './keys.js';

/** One line of the alert history: an alert created, or one delivery attempt. */
export type HistoryEntry =
  | {
      event: 'alert';
      alertId: string;
      ruleId: string;
      articleId: string;
      title: string;
      link: string;
      storyId?: string;
      channels: string[];
    }
  | {
      event: 'delivery';
      deliveryId: string;
      alertId: string;
      channelId: string;
      kind: string;
      attempt: number;
      ok: boolean;
      error?: string;
    };

export type TimedEntry = HistoryEntry & { at: number };

/** The alert history: a capped Redis stream, newest entries kept, oldest trimmed. */
export class AlertHistory {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
    private readonly maxEntries: number,
  ) {}

  /** Appends the entries in one transaction: all of them or none. */
  async record(...entries: HistoryEntry[]): Promise<void> {
    // One entry (an alert's delivery) needs no MULTI/EXEC around it.
    if (entries.length === 1) {
      await this.redis.xadd(this.keys.history(), 'MAXLEN', '~', this.maxEntries, '*', 'e', JSON.stringify(entries[0]));
      return;
    }
    const multi = this.redis.multi();
    for (const entry of entries) multi.xadd(this.keys.history(), 'MAXLEN', '~', this.maxEntries, '*', 'e', JSON.stringify(entry));
    const replies = (await multi.exec()) ?? [];
    const failed = replies.find(([err]) => err);
    if (failed) throw failed[0];
  }

  /** Entries at or after `sinceMs`, oldest first. */
  async since(sinceMs: number): Promise<TimedEntry[]> {
    const rows = await this.redis.xrange(this.keys.history(), String(sinceMs), '+');
    return rows.map(([id, fields]) => ({ ...(JSON.parse(fields[1] ?? '{}') as HistoryEntry), at: Number(id.split('-')[0]) }));
  }
}

export interface AlertSummary {
  alertId: string;
  at: number;
  ruleId: string;
  title: string;
  link: string;
  storyId?: string;
  /** Per channel: attempts so far and how the last one went (undefined: none yet). */
  deliveries: Record<string, { attempts: number; ok?: boolean; lastError?: string }>;
}

/** Groups history lines into one record per alert, oldest first. */
export function summariseHistory(entries: readonly TimedEntry[]): AlertSummary[] {
  const alerts = new Map<string, AlertSummary>();
  for (const e of entries) {
    if (e.event === 'alert') {
      if (!alerts.has(e.alertId)) {
        alerts.set(e.alertId, {
          alertId: e.alertId,
          at: e.at,
          ruleId: e.ruleId,
          title: e.title,
          link: e.link,
          storyId: e.storyId,
          deliveries: Object.fromEntries(e.channels.map((c) => [c, { attempts: 0 }])),
        });
      }
      continue;
    }
    const alert = alerts.get(e.alertId);
    if (!alert) continue;
    const d = (alert.deliveries[e.channelId] ??= { attempts: 0 });
    d.attempts++;
    d.ok = e.ok;
    d.lastError = e.ok ? undefined : e.error;
  }
  return [...alerts.values()];
}
