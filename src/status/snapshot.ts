import type { QueueName, QueueState } from '../queues/queues.js';
import type { AlertSummary } from '../state/alert-history.js';
import type { FeedHealth, FeedHealthRecord } from './feed-health.js';

/**
 * The whole deployment's state as read from Redis at one moment: what `newswatch status` prints and
 * what the status page renders. Plain data (times are ISO 8601 strings), so any renderer and JSON
 * serialise it as it is.
 */
export interface StatusSnapshot {
  /** When it was read. */
  at: string;
  /** Where Redis is, credentials masked. */
  redis: string;
  prefix: string;
  queues: QueueStatus[];
  feeds: { counts: Record<FeedHealth, number>; records: FeedHealthRecord[] };
  channels: ChannelStatus[];
  deliveries: {
    /** Deliveries that used up their retries and wait in the failed set for `newswatch alerts replay --failed`. */
    failedJobs: number;
    /** Recent (alert, channel) pairs whose last attempt failed, newest first: still retrying, or given up. */
    failing: FailingDelivery[];
  };
  alerts: {
    /** How far back the history was read. */
    windowMs: number;
    /** Alerts created in the window. */
    total: number;
    /** The newest alerts, newest first. */
    recent: AlertSummary[];
  };
  /** Alerts per configured rule in the window (the alert history holds who alerted, not every match). */
  rules: RuleStatus[];
  health: StatusHealth;
}

export interface QueueStatus {
  name: QueueName;
  jobs: Record<QueueState, number>;
  /** Connected BullMQ workers of any newswatch process; null when Redis refuses CLIENT LIST. */
  workers: number | null;
}

export interface ChannelStatus {
  id: string;
  type: string;
  /** Failing since (ISO), while deliveries to it fail; null when its last delivery worked. */
  failingSince: string | null;
  lastError: string | null;
  /** Failing for longer than `health.channel_failing_for` (a health notice went out). */
  unhealthy: boolean;
  /** Set when the receiver answered 410 Gone: the channel stays off until its config changes. */
  disabledReason: string | null;
  /** Alerts waiting in its digest buffer. */
  buffered: number;
}

export interface FailingDelivery {
  alertId: string;
  ruleId: string;
  title: string;
  channelId: string;
  attempts: number;
  lastError: string | null;
  /** When the alert was created. */
  at: string;
  /** True when the delivery used up its retries (in the failed set); false while it is still retried. */
  gaveUp: boolean;
}

export interface RuleStatus {
  id: string;
  name: string;
  enabled: boolean;
  alerts: number;
}

type StatusVerdict = 'healthy' | 'degraded';

export interface StatusHealth {
  status: StatusVerdict;
  /** One line per problem an operator should act on; empty when healthy. */
  reasons: string[];
}
