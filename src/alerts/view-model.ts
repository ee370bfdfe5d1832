import { formatFacts } from '../facts/article-facts.js';
import { describeNewFacts } from '../facts/extract-facts.js';
import type { AlertJob } from './alert.js';
import { truncate } from '../text/truncate.js';
import type { DigestMessage } from './message.js';

/**
 * What a person is shown about an alert or a digest, for every human-facing channel (email, Slack,
 * Discord, Teams, Telegram, ntfy, console). Pure: channels lay these fields out in their own idiom;
 * templates see them as `view`. Times are words in the reader's zone, never ISO strings.
 */

export interface ViewSettings {
  /** IANA zone the reader lives in (`alerts.timezone`). */
  timezone: string;
  /** `http.public_url`: where the status page is, when newswatch serves one. */
  publicUrl?: string;
  now: () => Date;
}

export const defaultViewSettings: ViewSettings = { timezone: 'UTC', now: () => new Date() };

const HEADLINE_MAX = 160;
const COMPACT_HEADLINE_MAX = 100;

/** Severity -> colour of the bar/embed/accent (readable on light and dark backgrounds). */
export const SEVERITY_COLORS: Record<string, string> = {
  info: '#8a94a6',
  low: '#3b82f6',
  medium: '#d4a106',
  high: '#e8590c',
  critical: '#d92d20',
};

export interface SnippetPart {
  text: string;
  /** One of the words the rule matched: shown highlighted. */
  matched: boolean;
}

interface TimeView {
  /** "30 Nov 2026, 18:24 KST (12 min ago)" */
  text: string;
  /** "18:24 KST" today, "29 Nov, 18:24 KST" otherwise: for compact lines. */
  short: string;
  /** "12 min ago" */
  relative: string;
}

export interface AlertView {
  followUp: boolean;
  rule: { id: string; name: string; severity: string; color: string };
  /** Cut to a sensible length by grapheme; `headlineFull` goes into link titles. */
  headline: string;
  headlineFull: string;
  link: string;
  source: { name: string; host: string };
  published: TimeView & { undated: boolean };
  snippet: SnippetPart[];
  /** Why it matched, compact: "Matched North Korea, troops, Kursk". */
  why: string;
  matched: string[];
  story?: { sources: number; line: string; others: Array<{ link: string; host: string }> };
  labels: Array<{ name: string; value: string }>;
  /** Figures and places the article reports (when the facts step filled them): one line. */
  facts?: string;
  /** A follow-up's facts that the story's first alert did not have, in words. */
  changes?: string;
  footer: FooterView;
}

interface FooterView {
  ruleId: string;
  /** How to quiet the rule: a config snippet to paste. */
  mute: string;
  statusUrl?: string;
}

interface DigestGroup {
  rule: AlertView['rule'];
  /** Items of one story together (a story of one is its own group), in order of first appearance. */
  stories: AlertView[][];
}

export interface DigestView {
  /** "5 new alerts for New North Korean troop deployments since 09:00 KST" */
  header: string;
  /** Why it was sent as a digest, in words; empty for a scheduled digest. */
  reason: string;
  count: number;
  groups: DigestGroup[];
  /** Every item in the order the groups show them. */
  items: AlertView[];
  footer: { statusUrl?: string };
}

const hostOf = (link: string) => {
  try {
    return new URL(link).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
};

/** The zone's usual abbreviation: CLDR's English names, except where it only knows "GMT+9". */
const ZONE_ABBREVIATIONS: Record<string, string> = { 'Asia/Seoul': 'KST', 'Asia/Pyongyang': 'KST', 'Asia/Tokyo': 'JST' };

function zoneName(date: Date, timezone: string): string {
  if (ZONE_ABBREVIATIONS[timezone]) return ZONE_ABBREVIATIONS[timezone];
  const name = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone: timezone, timeZoneName: 'short' })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value ?? timezone;
  const us = name('en-US');
  return /^GMT[+-]/.test(us) ? name('en-GB') : us;
}

const dayFormat = (timezone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: timezone, day: 'numeric', month: 'short', year: 'numeric' });
const clockFormat = (timezone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const relativeFormat = new Intl.RelativeTimeFormat('en-GB', { numeric: 'always', style: 'short' });

/** "12 min ago", "3 hr ago", "2 days ago"; "just now" under a minute. */
function relativeTime(date: Date, now: Date): string {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 60) return 'just now';
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    abs < 3600
      ? [seconds / 60, 'minute']
      : abs < 86_400
        ? [seconds / 3600, 'hour']
        : abs < 30 * 86_400
          ? [seconds / 86_400, 'day']
          : [seconds / (30 * 86_400), 'month'];
  return relativeFormat.format(Math.trunc(value), unit);
}

/** A time as people read it, in `timezone`. */
function timeView(iso: string, settings: ViewSettings): TimeView {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { text: 'unknown time', short: 'unknown time', relative: '' };
  const now = settings.now();
  const day = dayFormat(settings.timezone).format(date);
  const clock = `${clockFormat(settings.timezone).format(date)} ${zoneName(date, settings.timezone)}`;
  const relative = relativeTime(date, now);
  const sameDay = dayFormat(settings.timezone).format(now) === day;
  return { text: `${day}, ${clock} (${relative})`, short: sameDay ? clock : `${day.replace(/ \d{4}$/, '')}, ${clock}`, relative };
}

/** Snippets mark matched words «like this» (rules/explain): split into parts to highlight. */
function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const re = /«([^»]*)»/g;
  let at = 0;
  for (const m of snippet.matchAll(re)) {
    if (m.index > at) parts.push({ text: snippet.slice(at, m.index), matched: false });
    parts.push({ text: m[1]!, matched: true });
    at = m.index + m[0].length;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), matched: false });
  return parts;
}

function muteSnippet(ruleId: string): string {
  return [
    `# rules/*.yaml, the rule with id: ${ruleId}`,
    `throttle: { max: 5, per: 1h }   # at most 5 alerts an hour, the rest in a digest`,
    `enabled: false                   # or stop it`,
  ].join('\n');
}

function storyView(alert: AlertJob): AlertView['story'] {
  const { story } = alert;
  if (!story || story.sources < 2) return undefined;
  const others = story.sources - 1;
  const line =
    alert.event === 'alert.follow_up'
      ? `Now reported by ${story.sources} sources`
      : `Also reported by ${others} other source${others === 1 ? '' : 's'}`;
  return { sources: story.sources, line, others: story.links.map((link) => ({ link, host: hostOf(link) })) };
}

/** The view of one alert. */
export function alertView(alert: AlertJob, settings: ViewSettings = defaultViewSettings): AlertView {
  const { article, rule, match } = alert;
  const headlineFull = article.title.trim() || '(untitled)';
  const story = storyView(alert);
  const facts = alert.facts && alert.facts.length > 0 ? formatFacts(alert.facts) : undefined;
  const changes = alert.newFacts && alert.newFacts.length > 0 ? describeNewFacts(alert.newFacts) : undefined;
  return {
    followUp: alert.event === 'alert.follow_up',
    rule: { id: rule.id, name: rule.name, severity: rule.severity, color: SEVERITY_COLORS[rule.severity] ?? SEVERITY_COLORS.medium! },
    headline: truncate(headlineFull, HEADLINE_MAX, { atWord: true }),
    headlineFull,
    link: article.link,
    source: { name: article.feedTitle?.trim() || article.feedId, host: hostOf(article.link) },
    published: { ...timeView(article.published, settings), undated: article.undated === true },
    snippet: snippetParts(match.snippet),
    why: match.matched.length > 0 ? `Matched ${match.matched.join(', ')}` : '',
    matched: match.matched,
    ...(story ? { story } : {}),
    labels: Object.entries(rule.labels).map(([name, value]) => ({ name, value })),
    ...(facts ? { facts } : {}),
    ...(changes ? { changes } : {}),
    footer: { ruleId: rule.id, mute: muteSnippet(rule.id), ...(settings.publicUrl ? { statusUrl: settings.publicUrl } : {}) },
  };
}

const REASONS: Record<DigestMessage['reason'], string> = {
  digest: '',
  throttle: 'held back by the throttle',
  mute: 'collected during a mute window',
};

/** The view of a digest: a header, then items grouped by rule and, within a rule, by story. */
export function digestView(message: DigestMessage, settings: ViewSettings = defaultViewSettings): DigestView {
  const groups = new Map<string, { rule: AlertView['rule']; stories: Map<string, AlertView[]> }>();
  for (const alert of message.alerts) {
    const view = alertView(alert, settings);
    const group = groups.get(alert.rule.id) ?? { rule: view.rule, stories: new Map() };
    groups.set(alert.rule.id, group);
    const storyKey = alert.story?.id ?? `alert:${alert.alertId}`;
    group.stories.set(storyKey, [...(group.stories.get(storyKey) ?? []), view]);
  }
  const grouped = [...groups.values()].map((g) => ({ rule: g.rule, stories: [...g.stories.values()] }));
  const count = message.alerts.length;
  const earliest = message.alerts.map((a) => a.matchedAt).sort()[0];
  const ruleNames = grouped.length === 1 ? grouped[0]!.rule.name : `${grouped.length} rules`;
  const since = earliest ? ` since ${timeView(earliest, settings).short}` : '';
  return {
    header: `${count} new alert${count === 1 ? '' : 's'} for ${ruleNames}${since}`,
    reason: REASONS[message.reason],
    count,
    groups: grouped,
    items: grouped.flatMap((g) => g.stories.flat()),
    footer: settings.publicUrl ? { statusUrl: settings.publicUrl } : {},
  };
}

/** A digest item's headline, shorter than an alert's. */
export const compactHeadline = (item: AlertView) => truncate(item.headlineFull, COMPACT_HEADLINE_MAX, { atWord: true });

/** One line per digest item: "Headline — Source · 18:24 KST". */
export const compactLine = (item: AlertView) => `${compactHeadline(item)} — ${compactMeta(item)}`;
export const compactMeta = (item: AlertView) => `${item.source.name} · ${item.published.short}`;
