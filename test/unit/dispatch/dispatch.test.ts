import { describe, expect, it } from 'vitest';
import { inMuteWindow, muteEndPattern } from '../../../src/dispatch/mute.js';
import { alertRoutePlans, flushSchedules, flushWaitsForMuteEnd, planRoute, throttleWindow } from '../../../src/dispatch/route.js';
import type { AlertJob } from '../../../src/alerts/alert.js';
import type { ChannelConfig, RuleConfig } from '../../../src/config/schema.js';

describe('mute windows', () => {
  const night = { from: '22:00', to: '07:00', timezone: 'Europe/Berlin' };
  it('covers both sides of midnight in its own time zone', () => {
    expect(inMuteWindow(night, new Date('2026-01-15T21:30:00Z'))).toBe(true); // 22:30 in Berlin
    expect(inMuteWindow(night, new Date('2026-01-15T05:59:00Z'))).toBe(true); // 06:59
    expect(inMuteWindow(night, new Date('2026-01-15T06:00:00Z'))).toBe(false); // 07:00
    expect(inMuteWindow(night, new Date('2026-01-15T12:00:00Z'))).toBe(false);
  });

  it('respects days, attributing the morning part of an overnight window to the day it started', () => {
    const fridayNight = { ...night, days: ['fri' as const] };
    expect(inMuteWindow(fridayNight, new Date('2026-01-16T22:00:00Z'))).toBe(true); // Fri 23:00
    expect(inMuteWindow(fridayNight, new Date('2026-01-17T05:00:00Z'))).toBe(true); // Sat 06:00
    expect(inMuteWindow(fridayNight, new Date('2026-01-15T22:00:00Z'))).toBe(false); // Thu 23:00
  });

  it('flushes at the minute the window ends, on the next day for overnight windows', () => {
    expect(muteEndPattern({ ...night, days: ['fri', 'sat'] })).toEqual({ pattern: '0 7 * * 0,6', tz: 'Europe/Berlin' });
    expect(muteEndPattern({ from: '12:00', to: '13:30', timezone: 'UTC' })).toEqual({ pattern: '30 13 * * *', tz: 'UTC' });
  });
});

describe('planRoute', () => {
  const channel = { id: 'hook' } as ChannelConfig;
  const rule = { id: 'r' } as RuleConfig;

  it('sends straight away when nothing holds it back', () => {
    expect(planRoute(channel, rule, new Date())).toEqual({ route: { action: 'send' }, limits: [] });
  });

  it('buffers for digest channels and inside mute windows, whatever the throttles say', () => {
    const throttled = { ...rule, throttle: { max: 1, per: 60_000 } };
    expect(planRoute({ ...channel, digest: '1h' }, throttled, new Date())).toEqual({
      route: { action: 'buffer', reason: 'digest' },
      limits: [],
    });
    const muted = { ...channel, mute: [{ from: '00:00', to: '23:59', timezone: 'UTC' }] };
    expect(planRoute(muted, throttled, new Date('2026-01-01T12:00:00Z'))).toEqual({
      route: { action: 'buffer', reason: 'mute' },
      limits: [],
    });
  });

  it('leaves rule and channel throttles to be counted, each in its own scope', () => {
    const plan = planRoute({ ...channel, throttle: { max: 5, per: 1000 } }, { ...rule, throttle: { max: 1, per: 60_000 } }, new Date());
    expect(plan).toEqual({
      route: { action: 'send' },
      limits: [
        { scope: 'rule:r:hook', max: 1, perMs: 60_000 },
        { scope: 'channel:hook', max: 5, perMs: 1000 },
      ],
    });
  });

  it('puts a moment into the fixed window of each throttle', () => {
    expect(throttleWindow({ scope: 's', max: 1, perMs: 60_000 }, 125_000)).toBe(120_000);
    expect(throttleWindow({ scope: 's', max: 1, perMs: 60_000 }, 120_000)).toBe(120_000);
  });
});

describe('alertRoutePlans', () => {
  const channels = [
    { id: 'hook', throttle: { max: 5, per: 1000 } },
    { id: 'daily', digest: '0 8 * * *' },
    { id: 'other' },
  ] as ChannelConfig[];
  const ruleById = new Map([['r', { id: 'r', throttle: { max: 1, per: 60_000 } } as RuleConfig]]);
  const now = new Date('2026-01-01T12:00:00Z');

  it("plans each of the alert's channels that the running config has, with the rule's throttle", () => {
    // "gone" stands for a channel disabled by its file or by a missing env var: not in config.channels.
    const plans = alertRoutePlans({ rule: { id: 'r' } as AlertJob['rule'], channels: ['daily', 'hook', 'gone'] }, channels, ruleById, now);
    expect(plans).toEqual([
      {
        channelId: 'hook',
        plan: {
          route: { action: 'send' },
          limits: [
            { scope: 'rule:r:hook', max: 1, perMs: 60_000 },
            { scope: 'channel:hook', max: 5, perMs: 1000 },
          ],
        },
      },
      { channelId: 'daily', plan: { route: { action: 'buffer', reason: 'digest' }, limits: [] } },
    ]);
  });

  it("routes the alert of a rule a reload removed without that rule's throttle", () => {
    const plans = alertRoutePlans({ rule: { id: 'removed' } as AlertJob['rule'], channels: ['hook'] }, channels, ruleById, now);
    expect(plans).toEqual([
      { channelId: 'hook', plan: { route: { action: 'send' }, limits: [{ scope: 'channel:hook', max: 5, perMs: 1000 }] } },
    ]);
  });
});

describe('flushWaitsForMuteEnd', () => {
  const quiet = { mute: [{ from: '22:00', to: '07:00', timezone: 'UTC' }] };
  const night = new Date('2026-01-01T23:00:00Z');
  const day = new Date('2026-01-01T12:00:00Z');

  it("holds a throttle or digest flush inside a mute window, never the mute window's own", () => {
    expect(flushWaitsForMuteEnd('throttle', quiet, night)).toBe(true);
    expect(flushWaitsForMuteEnd('digest', quiet, night)).toBe(true);
    expect(flushWaitsForMuteEnd('mute', quiet, night)).toBe(false);
  });

  it('lets every flush through outside mute windows, and for a channel no longer configured', () => {
    expect(flushWaitsForMuteEnd('throttle', quiet, day)).toBe(false);
    expect(flushWaitsForMuteEnd('throttle', undefined, night)).toBe(false);
  });
});

describe('flushSchedules', () => {
  it('schedules digests by cron or interval, mute ends, and the shortest throttle window', () => {
    const channels = [
      { id: 'daily', digest: '0 8 * * *' },
      { id: 'hourly', digest: '1h' },
      { id: 'quiet', mute: [{ from: '22:00', to: '07:00', timezone: 'UTC' }], throttle: { max: 5, per: 3_600_000 } },
    ] as ChannelConfig[];
    const rules = [{ id: 'r', enabled: true, channels: ['quiet'], throttle: { max: 1, per: 600_000 } }] as RuleConfig[];
    expect(flushSchedules(channels, rules)).toEqual([
      { id: 'flush-daily-digest', channelId: 'daily', reason: 'digest', repeat: { pattern: '0 8 * * *' } },
      { id: 'flush-hourly-digest', channelId: 'hourly', reason: 'digest', repeat: { every: 3_600_000 } },
      { id: 'flush-quiet-mute-0', channelId: 'quiet', reason: 'mute', repeat: { pattern: '0 7 * * *', tz: 'UTC' } },
      { id: 'flush-quiet-throttle', channelId: 'quiet', reason: 'throttle', repeat: { every: 600_000 } },
    ]);
  });
});
