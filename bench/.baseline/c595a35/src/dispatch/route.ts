import { parseDuration } from '../config/duration.js';
import type { ChannelConfig, RuleConfig } from '../config/schema.js';
import { isMuted, muteEndPattern } from './mute.js';

export type DigestReason = 'digest' | 'throttle' | 'mute';
export type Route = { action: 'send' } | { action: 'buffer'; reason: DigestReason };

/**
 * Where one alert goes on one channel now: straight out, or into the channel's digest buffer because
 * the channel collects digests, is muted, or the rule or channel is over its throttle. Throttle
 * counters live in Redis, so the check is passed in.
 */
export async function routeAlert(
  channel: Pick<ChannelConfig, 'id' | 'digest' | 'mute' | 'throttle'>,
  rule: Pick<RuleConfig, 'id' | 'throttle'>,
  now: Date,
  withinLimit: (scope: string, max: number, perMs: number) => Promise<boolean>,
): Promise<Route> {
  if (channel.digest) return { action: 'buffer', reason: 'digest' };
  if (isMuted(channel.mute, now)) return { action: 'buffer', reason: 'mute' };
  if (rule.throttle && !(await withinLimit(`rule:${rule.id}:${channel.id}`, rule.throttle.max, rule.throttle.per))) return { action: 'buffer', reason: 'throttle' };
  if (channel.throttle && !(await withinLimit(`channel:${channel.id}`, channel.throttle.max, channel.throttle.per))) return { action: 'buffer', reason: 'throttle' };
  return { action: 'send' };
}

export type FlushRepeat = { pattern: string; tz?: string } | { every: number };

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
      schedules.push({ id: `flush-${channel.id}-digest`, channelId: channel.id, reason: 'digest', repeat: every !== undefined ? { every } : { pattern: channel.digest } });
      continue; // In digest mode nothing is muted or throttled: everything waits for the digest.
    }
    channel.mute?.forEach((window, i) => schedules.push({ id: `flush-${channel.id}-mute-${i}`, channelId: channel.id, reason: 'mute', repeat: muteEndPattern(window) }));
    const pers = [channel.throttle?.per, ...rules.filter((r) => r.enabled && r.channels.includes(channel.id)).map((r) => r.throttle?.per)].filter((p): p is number => p !== undefined);
    if (pers.length > 0) schedules.push({ id: `flush-${channel.id}-throttle`, channelId: channel.id, reason: 'throttle', repeat: { every: Math.min(...pers) } });
  }
  return schedules;
}
