import { WEEKDAYS } from '../config/fields/channel-fields.js';

export interface MuteWindow {
  from: string;
  to: string;
  days?: ReadonlyArray<(typeof WEEKDAYS)[number]>;
  timezone: string;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function localTime(now: Date, timezone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: WEEKDAYS.indexOf(get('weekday').toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]),
    minute: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

/** Whether `now` falls in the window; a window whose `to` is before its `from` runs overnight. */
export function inMuteWindow(window: MuteWindow, now: Date): boolean {
  const { day, minute } = localTime(now, window.timezone);
  const from = minutes(window.from);
  const to = minutes(window.to);
  const onDay = (d: number) => !window.days || window.days.includes(WEEKDAYS[(d + 7) % 7]!);
  if (from === to) return false;
  if (from < to) return onDay(day) && minute >= from && minute < to;
  // Overnight: the evening part belongs to today's window, the morning part to yesterday's.
  return (minute >= from && onDay(day)) || (minute < to && onDay(day - 1));
}

export function isMuted(windows: readonly MuteWindow[] | undefined, now: Date): boolean {
  return (windows ?? []).some((w) => inMuteWindow(w, now));
}

/** A cron pattern (in the window's time zone) for the minute the window ends: when its digest goes out. */
export function muteEndPattern(window: MuteWindow): { pattern: string; tz: string } {
  const [hh, mm] = window.to.split(':');
  const overnight = minutes(window.to) < minutes(window.from);
  const days = window.days
    ? window.days
        .map((d) => (WEEKDAYS.indexOf(d) + (overnight ? 1 : 0)) % 7)
        .sort()
        .join(',')
    : '*';
  return { pattern: `${Number(mm)} ${Number(hh)} * * ${days}`, tz: window.timezone };
}
