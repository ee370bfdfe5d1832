import { describe, expect, it } from 'vitest';
import type { RenderedMessage } from '../../../src/alerts/channels/channel.js';
import { createChannel } from '../../../src/alerts/channels/index.js';
import type { Message } from '../../../src/alerts/message.js';
import { alertView, digestView } from '../../../src/alerts/view-model.js';
import { channelSchema } from '../../../src/config/schema.js';
import { bigDigest, hostileAlert, normalAlert, seoulReaders } from './alert-fixtures.js';

/**
 * Golden files of the view model and of what each human-facing channel sends, for a normal alert, a
 * hostile one and a digest of 50. A change shows up as a diff under test/unit/alerts/golden/ to review
 * (`npx vitest run -u` rewrites them).
 */

const human = {
  email: { type: 'email', to: 'desk@example.org', from: 'newswatch@example.org', host: 'localhost' },
  slack: { type: 'slack', url: 'https://hooks.slack.com/services/T/B/x' },
  discord: { type: 'discord', url: 'https://discord.com/api/webhooks/1/x' },
  teams: { type: 'teams', url: 'https://example.webhook.office.com/x' },
  telegram: { type: 'telegram', token: '123:abc', chat_id: 1 },
  ntfy: { type: 'ntfy', url: 'https://ntfy.sh/topic' },
  console: { type: 'console' },
} as const;
const cases: Record<string, () => Message> = { normal: () => normalAlert, hostile: () => hostileAlert, digest50: bigDigest };

const render = (channel: keyof typeof human, message: Message) =>
  createChannel(channelSchema.parse({ id: 'out', ...human[channel] }), { timeoutMs: 1000, view: seoulReaders }).render(message);

/** The golden form of a rendering: JSON bodies pretty-printed, email parts as they are. */
function golden(rendered: RenderedMessage): { ext: string; text: string }[] {
  if (rendered.kind === 'email')
    return [
      { ext: 'eml.txt', text: `Subject: ${rendered.subject}\n\n${rendered.text}` },
      { ext: 'html', text: rendered.html },
    ];
  if (rendered.kind === 'text') return [{ ext: 'txt', text: rendered.text }];
  const body = rendered.contentType.startsWith('application/json') ? JSON.stringify(JSON.parse(rendered.body), null, 2) : rendered.body;
  return [{ ext: 'json', text: `${JSON.stringify(rendered.headers, null, 2)}\n\n${body}\n` }];
}

/** Text a person reads: everything but machine fields (Discord's `timestamp`, which Discord shows in the reader's zone). */
function humanText(rendered: RenderedMessage): string {
  if (rendered.kind !== 'http')
    return rendered.kind === 'email' ? `${rendered.subject}\n${rendered.text}\n${rendered.html}` : rendered.text;
  const body = rendered.contentType.startsWith('application/json')
    ? JSON.stringify(JSON.parse(rendered.body, (key, value) => (key === 'timestamp' ? undefined : value)))
    : rendered.body;
  return `${JSON.stringify(rendered.headers)}\n${body}`;
}

describe('alert view model (golden)', () => {
  it('normal alert', async () => {
    await expect(JSON.stringify(alertView(normalAlert.alert, seoulReaders), null, 2)).toMatchFileSnapshot('golden/view-normal.json');
  });
  it('hostile alert', async () => {
    await expect(JSON.stringify(alertView(hostileAlert.alert, seoulReaders), null, 2)).toMatchFileSnapshot('golden/view-hostile.json');
  });
  it('digest of 50', async () => {
    await expect(JSON.stringify(digestView(bigDigest(), seoulReaders), null, 2)).toMatchFileSnapshot('golden/view-digest50.json');
  });

  it('shows times in the reader zone with how long ago, and the pieces the issue asks for', () => {
    const view = alertView(normalAlert.alert, seoulReaders);
    expect(view).toMatchObject({
      rule: { id: 'nk-troops', name: 'North Korean troops', severity: 'high' },
      headline: 'North Korea to send 6,000 troops to Kursk',
      source: { name: 'Conflict Wire', host: 'news.example' },
      published: { text: '17 Jun 2026, 17:00 KST (12 min ago)', short: '17:00 KST' },
      why: 'Matched North Korea, troops, Kursk',
      story: { sources: 3, line: 'Also reported by 2 other sources', others: [{ host: 'other.example' }, { host: 'third.example' }] },
      labels: [{ name: 'desk', value: 'asia' }],
      facts: '6,000 troops · Kursk',
      footer: { ruleId: 'nk-troops', statusUrl: 'https://newswatch.example.org/' },
    });
    expect(view.snippet.filter((p) => p.matched).map((p) => p.text)).toEqual(['North Korea', 'troops', 'Kursk']);
    expect(alertView({ ...normalAlert.alert, facts: undefined }, seoulReaders)).not.toHaveProperty('facts');
  });

  it('cuts a very long headline by grapheme and keeps the full one for the link title', () => {
    const view = alertView(hostileAlert.alert, seoulReaders);
    expect([...new Intl.Segmenter().segment(view.headline)].length).toBeLessThanOrEqual(160);
    expect(view.headline.endsWith('…')).toBe(true);
    expect(view.headlineFull).toBe(hostileAlert.alert.article.title.trim());
  });

  it('digest header names the rule(s), the count and since when, and groups by rule and story', () => {
    const view = digestView(bigDigest(), seoulReaders);
    expect(view.header).toBe('50 new alerts for 2 rules since 09:00 KST');
    expect(view.groups.map((g) => g.rule.id)).toEqual(['ru-ko', 'nk-troops']);
    expect(view.items).toHaveLength(50);
    const single = digestView(
      {
        ...bigDigest(),
        alerts: bigDigest()
          .alerts.filter((a) => a.rule.id === 'nk-troops')
          .slice(0, 5),
      },
      seoulReaders,
    );
    expect(single.header).toBe('5 new alerts for New North Korean troop deployments since 09:01 KST');
  });
});

describe.each(Object.keys(human) as Array<keyof typeof human>)('%s rendering (golden)', (channel) => {
  it.each(Object.keys(cases))('%s', async (name) => {
    for (const { ext, text } of golden(render(channel, cases[name]!())))
      await expect(text).toMatchFileSnapshot(`golden/${channel}-${name}.${ext}`);
  });

  it('has no raw ISO timestamps in anything a person reads, and shows the configured zone', () => {
    for (const make of Object.values(cases)) {
      const text = humanText(render(channel, make()));
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(text).toContain('KST');
    }
  });
});
