import type { AlertJob } from '../alerts/alert.js';
import type { DigestReason } from '../alerts/message.js';
import { parseDuration } from '../config/fields/duration.js';
import type { ChannelConfig, RuleConfig } from '../config/schema.js';
import { isMuted, muteEndPattern } from './mute.js';

export type Route = { action: 'send' } | { action: 'buffer'; reason: DigestReason };

/** One throttle that applies to an alert: at most `max` alerts per `perMs` window in `scope`. */
export interface ThrottleLimit {
  scope: string;
  max: number;
  perMs: number;
}

/**
 * How one alert's route on one channel is decided: fixed now (digest channel, mute window), or by the
 * throttles that apply: sent when every one of them has room in its current window (and then counted
 * in each), else buffered for the next digest. Throttle counters live in Redis, where the decision and
 * the counting happen in one step (`Pacing.route`).
 */
export interface RoutePlan {
  route: Route;
  /** Empty when the route is fixed. */
  limits: ThrottleLimit[];
}

export function planRoute(
  channel: Pick<ChannelConfig, 'id' | 'digest' | 'mute' | 'throttle'>,
  rule: Pick<RuleConfig, 'id' | 'throttle'>,
  now: Date,
): RoutePlan {
  if (channel.digest) return { route: { action: 'buffer', reason: 'digest' }, limits: [] };
  if (isMuted(channel.mute, now)) return { route: { action: 'buffer', reason: 'mute' }, limits: [] };
  const limits: ThrottleLimit[] = [];
  if (rule.throttle) limits.push({ scope: `rule:${rule.id}:${channel.id}`, max: rule.throttle.max, perMs: rule.throttle.per });
  if (channel.throttle) limits.push({ scope: `channel:${channel.id}`, max: channel.throttle.max, perMs: channel.throttle.per });
  return { route: { action: 'send' }, limits };
}

/**
 * The channels an alert goes to, each with the plan of its route. Only channels in the running config:
 * one disabled (in its file, or by a missing env var) is skipped here, not failed delivery by delivery.
 * A rule removed by a reload after the alert was queued no longer throttles it.
 */
export function alertRoutePlans(
  alert: Pick<AlertJob, 'rule' | 'channels'>,
  channels: readonly ChannelConfig[],
  ruleById: ReadonlyMap<string, RuleConfig>,
  now: Date,
): Array<{ channelId: string; plan: RoutePlan }> {
  const rule = ruleById.get(alert.rule.id) ?? { id: alert.rule.id, throttle: undefined };
  return channels
    .filter((c) => alert.channels.includes(c.id))
    .map((channel) => ({ channelId: channel.id, plan: planRoute(channel, rule, now) }));
}

/** Whether a digest buffer's flush waits: a throttle or digest flush inside a mute window waits for the window's own flush at its end. */
export function flushWaitsForMuteEnd(reason: DigestReason, channel: Pick<ChannelConfig, 'mute'> | undefined, now: Date): boolean {
  return reason !== 'mute' && isMuted(channel?.mute, now);
}

/** The route when a throttle's window is full. */
export const THROTTLED_ROUTE: Route = { action: 'buffer', reason: 'throttle' };

/** The fixed window (start, epoch ms) of a throttle that `now` falls in. */
export const throttleWindow = (limit: ThrottleLimit, now: number): number => Math.floor(now / limit.perMs) * limit.perMs;

type FlushRepeat = { pattern: string; tz?: string } | { every: number };

export interface FlushSchedule {
  /** Stable id of the BullMQ job scheduler. */
  id: string;
  channelId: string;
  reason: DigestReason;
  repeat: FlushRepeat;
}

/** When each channel's digest buffer is sent: its digest schedule, the end of each mute window, the throttle window. */
export function flushSchedules(channels: readonly ChannelConfig[], rules: readonly RuleConfig[]): FlushSchedule[] {
  const schedules: FlushSchedule[] = [];
  for (const channel of channels) {
    if (channel.digest) {
      const every = parseDuration(channel.digest);
      schedules.push({
        id: `flush-${channel.id}-digest`,
        channelId: channel.id,
        reason: 'digest',
        repeat: every !== undefined ? { every } : { pattern: channel.digest },
      });
      continue; // In digest mode nothing is muted or throttled: everything waits for the digest.
    }
    channel.mute?.forEach((window, i) =>
      schedules.push({ id: `flush-${channel.id}-mute-${i}`, channelId: channel.id, reason: 'mute', repeat: muteEndPattern(window) }),
    );
    const pers = [
      channel.throttle?.per,
      ...rules.filter((r) => r.enabled && r.channels.includes(channel.id)).map((r) => r.throttle?.per),
    ].filter((p): p is number => p !== undefined);
    if (pers.length > 0)
      schedules.push({
        id: `flush-${channel.id}-throttle`,
        channelId: channel.id,
        reason: 'throttle',
        repeat: { every: Math.min(...pers) },
      });
  }
  return schedules;
}
