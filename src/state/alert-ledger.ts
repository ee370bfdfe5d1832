import type { Redis } from 'ioredis';
import type { HistoryEntry } from './alert-history.js';
import type { StateKeys } from './keys.js';
import { withScripts } from './redis-scripts.js';

/** What `AlertLedger.claim` found for one matched rule (see `claim-alerts.lua`). */
const CLAIM_OUTCOMES = ['alerted-before', 'first', 'follow-up', 'story-alerted'] as const;
export type ClaimOutcome = (typeof CLAIM_OUTCOMES)[number];

/** One matched rule of an article, as the claim step needs it. */
export interface ClaimRequest {
  ruleId: string;
  storyId: string;
  /** Whether the story has reached the rule's follow_up number of sources. */
  followUpDue: boolean;
  /** History lines written when the article takes the story's first alert, or its follow-up. */
  firstEntry: HistoryEntry;
  followUpEntry: HistoryEntry;
}

/**
 * Remembers which (rule, article) pairs have alerted, for longer than BullMQ keeps jobs, so a replayed
 * or re-fetched article never alerts twice; and which article alerts for a story per rule.
 *
 * One article's step is two round trips around handing on its alerts: `claim` (ledger check, story
 * claims and history, one script) before, `record` (the ledger) after. A crash in between leaves the
 * ledger unwritten: the retry claims again (claims hold the article id, so it gets them back, and no
 * history line is written twice) and hands on the same alerts again: the same alert job ids, which
 * BullMQ dedupes, or the same routes and delivery ids when the match job dispatches (`dispatchAlert`).
 */
export class AlertLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
    private readonly ttlMs: number,
    /** How long a story claim holds: the story window. */
    private readonly claimTtlMs: number,
    private readonly historyMax: number,
  ) {}

  async claim(articleId: string, requests: readonly ClaimRequest[]): Promise<ClaimOutcome[]> {
    if (requests.length === 0) return [];
    const keys = [this.keys.history()];
    const args: Array<string | number> = [articleId, this.claimTtlMs, this.historyMax];
    for (const r of requests) {
      keys.push(
        this.keys.alerted(r.ruleId, articleId),
        this.keys.storyAlerted(r.ruleId, r.storyId, 'first'),
        this.keys.storyAlerted(r.ruleId, r.storyId, 'follow'),
      );
      args.push(r.followUpDue ? '1' : '0', JSON.stringify(r.firstEntry), JSON.stringify(r.followUpEntry));
    }
    const codes = (await withScripts(this.redis).claimAlerts(keys.length, ...keys, ...args)) as number[];
    return codes.map((c) => CLAIM_OUTCOMES[c]!);
  }

  /** Call only after the alerts are handed on (queued or dispatched): from here on, a retry of the article alerts no more. */
  async record(ruleIds: readonly string[], articleId: string): Promise<void> {
    // Plain SETs, not an explicit pipeline (which copies the connection's scripts onto itself): the state
    // connection auto-pipelines them, with the records of a whole match batch.
    const at = String(Date.now());
    await Promise.all(ruleIds.map((ruleId) => this.redis.set(this.keys.alerted(ruleId, articleId), at, 'PX', this.ttlMs)));
  }

  /** True for the first successful delivery of an alert on any channel, in any process (for its latency). */
  async firstDelivery(alertId: string): Promise<boolean> {
    return (await this.redis.set(this.keys.delivered(alertId), String(Date.now()), 'PX', this.ttlMs, 'NX')) === 'OK';
  }
}
