import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { createChannel } from '../../../src/alerts/channels/index.js';
import type { RenderedMessage } from '../../../src/alerts/channels/channel.js';
import type { DigestMessage, Message } from '../../../src/alerts/message.js';
import { escapeMarkdown } from '../../../src/alerts/markdown.js';
import { channelSchema } from '../../../src/config/schema.js';
import { isWellFormed } from '../../support/well-formed.js';
import { alertJob, alertMessage } from './message-fixture.js';

/**
 * Every receiver gets a well-formed message whatever a feed sends: no split characters, no broken
 * escapes, no links or formatting planted by feed text, within the receiver's limits, and a digest
 * that does not fit says how many items it left out.
 */

const configs = {
  slack: { type: 'slack', url: 'https://hooks.slack.com/services/T/B/x' },
  discord: { type: 'discord', url: 'https://discord.com/api/webhooks/1/x' },
  teams: { type: 'teams', url: 'https://example.webhook.office.com/x' },
  telegram: { type: 'telegram', token: '123:abc', chat_id: 1 },
  ntfy: { type: 'ntfy', url: 'https://ntfy.sh/topic' },
  email: { type: 'email', to: 'a@example.com', from: 'b@example.com', host: 'localhost' },
  console: { type: 'console' },
} as const;
type Preset = keyof typeof configs;
const presets = Object.keys(configs) as Preset[];

const render = (preset: Preset, message: Message): RenderedMessage =>
  createChannel(channelSchema.parse({ id: 'out', ...configs[preset] }), { timeoutMs: 1000 }).render(message);

const hostilePieces = [
  'Kim',
  ' ',
  '&',
  '&amp;',
  '<b>',
  '</i>',
  '"',
  '*',
  '_',
  '`',
  '~',
  '|',
  '#',
  '>',
  '\n',
  '[click](https://evil.example)',
  '<@123>',
  '@everyone',
  '👨‍👩‍👧',
  '🇰🇷',
  'e\u0301',
  '서울',
  'שלום',
  'مرحبا',
];
const hostile = (max: number) => fc.array(fc.constantFrom(...hostilePieces), { minLength: 1, maxLength: max }).map((p) => p.join(''));

/** Every string in a payload (JSON bodies are parsed; header values and parts are strings already). */
function strings(rendered: RenderedMessage): string[] {
  const out: string[] = [];
  const walk = (v: unknown) =>
    typeof v === 'string' ? out.push(v) : v && typeof v === 'object' ? Object.values(v).forEach(walk) : undefined;
  if (rendered.kind === 'http') {
    walk(rendered.headers);
    walk(rendered.contentType.startsWith('application/json') ? JSON.parse(rendered.body) : rendered.body);
  } else walk(rendered);
  return out;
}

const decodeWords = (header: string) =>
  header
    .split(' ')
    .map((w) => /^=\?UTF-8\?B\?(.*)\?=$/.exec(w))
    .map((m) => Buffer.from(m![1]!, 'base64').toString('utf8'))
    .join('');

const codePoints = (s: string) => [...s].length;
const telegramVisible = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The receiver's documented limits, checked on what the preset rendered. */
function expectWithinLimits(preset: Preset, rendered: RenderedMessage) {
  if (rendered.kind !== 'http') return;
  const json = rendered.contentType.startsWith('application/json') ? JSON.parse(rendered.body) : undefined;
  switch (preset) {
    case 'slack':
      expect(json.blocks.length).toBeLessThanOrEqual(50);
      for (const b of json.blocks) {
        if (b.type === 'header') expect(codePoints(b.text.text)).toBeLessThanOrEqual(150);
        if (b.type === 'section') expect(codePoints(b.text.text)).toBeLessThanOrEqual(3000);
      }
      break;
    case 'discord': {
      expect(json.embeds.length).toBeLessThanOrEqual(10);
      expect(codePoints(json.content ?? '')).toBeLessThanOrEqual(2000);
      const total = json.embeds.reduce(
        (n: number, e: { title?: string; description?: string; footer?: { text: string } }) =>
          n + codePoints(e.title ?? '') + codePoints(e.description ?? '') + codePoints(e.footer?.text ?? ''),
        0,
      );
      expect(total).toBeLessThanOrEqual(6000);
      break;
    }
    case 'teams':
      expect(Buffer.byteLength(rendered.body)).toBeLessThanOrEqual(28_000);
      break;
    case 'telegram':
      expect(telegramVisible(json.text).length).toBeLessThanOrEqual(4096);
      break;
    case 'ntfy':
      expect(Buffer.byteLength(rendered.body)).toBeLessThanOrEqual(4096);
      // RFC 2047 bounds encoded words; a plain ASCII title goes as it is, however long its words.
      for (const word of rendered.headers.Title!.split(' ').filter((w) => w.startsWith('=?'))) expect(word.length).toBeLessThanOrEqual(75);
      break;
  }
}

describe('alerts are well-formed for every receiver', () => {
  it.each(presets)('%s: hostile feed text never splits a character and stays within limits', (preset) => {
    fc.assert(
      fc.property(hostile(400), hostile(200), (title, snippet) => {
        const rendered = render(preset, alertMessage({ title, snippet }));
        for (const s of strings(rendered)) expect(isWellFormed(s)).toBe(true);
        expectWithinLimits(preset, rendered);
      }),
      { numRuns: 40 },
    );
  });

  it('slack: escaped text has no entity cut in half, however long the title and snippet', () => {
    fc.assert(
      fc.property(hostile(600), hostile(600), (title, snippet) => {
        const rendered = render('slack', alertMessage({ title, snippet: snippet.repeat(3) }));
        const json = JSON.parse((rendered as { body: string }).body) as {
          text: string;
          blocks: Array<{ text?: { type: string; text: string } }>;
        };
        for (const text of [json.text, ...json.blocks.filter((b) => b.text?.type === 'mrkdwn').map((b) => b.text!.text)])
          expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
      }),
      { numRuns: 40 },
    );
  });

  it('ntfy: the title is truncated, then sent as encoded words of at most 75 characters', () => {
    const title = '서울 👨‍👩‍👧 '.repeat(500);
    const rendered = render('ntfy', alertMessage({ title }));
    const header = (rendered as { headers: Record<string, string> }).headers.Title!;
    const words = header.split(' ');
    expect(words.length).toBeGreaterThan(1);
    for (const w of words) expect(w.length).toBeLessThanOrEqual(75);
    const decoded = decodeWords(header);
    expect(decoded.endsWith('…')).toBe(true);
    expect(`[North Korean troops] ${title}`.startsWith(decoded.slice(0, -1))).toBe(true);
  });

  it('ntfy: a plain ASCII title goes as it is, even with a word longer than an encoded word may be', () => {
    // fast-check's counterexample: a 76-character ASCII word is not an encoded word, so RFC 2047's 75 does not apply.
    const title = 'KimKimKim[click](https://evil.example)@everyone[click](https://evil.example)';
    const header = (render('ntfy', alertMessage({ title })) as { headers: Record<string, string> }).headers.Title!;
    expect(header).toBe(`[North Korean troops] ${title}`);
  });
});

describe('Markdown receivers show feed text as text', () => {
  const md = new MarkdownIt();
  const asText = (html: string) => html.replace(/^<p>|<\/p>\n?$/g, '').replace(/<br>\n?/g, '\n');
  const unescapeHtml = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');

  it('escapeMarkdown: any text renders as exactly itself, with no link, emphasis, heading, list or code', () => {
    fc.assert(
      fc.property(fc.oneof(hostile(30), fc.string({ maxLength: 60 })), (text) => {
        const single = text.replace(/\s+/g, ' ').trim();
        fc.pre(single.length > 0);
        const html = md.render(escapeMarkdown(single));
        expect(html).toMatch(/^<p>/);
        expect(html).not.toMatch(/<(a|em|strong|code|s|h\d|li|blockquote|pre)\b/);
        expect(unescapeHtml(asText(html)).trim()).toBe(single);
      }),
      { numRuns: 300 },
    );
  });

  it.each(['discord', 'teams'] as const)('%s: a planted [text](url) link is not a link in the alert or a digest', (preset) => {
    const planted = alertMessage({ title: 'Read [your bank](https://evil.example) now', snippet: 'see [here](https://evil.example/x)' });
    const digest: DigestMessage = { kind: 'digest', reason: 'digest', alerts: [planted.alert], timestamp: '2026-06-17T09:00:00.000Z' };
    for (const message of [planted, digest]) {
      const links = strings(render(preset, message)).flatMap((text) => [...md.render(text).matchAll(/href="([^"]*)"/g)].map((m) => m[1]!));
      expect(links.filter((l) => l.includes('evil.example'))).toEqual([]);
    }
  });
});

describe('a digest of 50 long alerts on every preset', () => {
  const long = (i: number) =>
    alertJob({
      alertId: `alert-${i}`,
      title: `${i}: ${'North Korea & <troops> 👨‍👩‍👧 서울 '.repeat(80)}`,
      snippet: `«troops» ${'[x](https://evil.example) '.repeat(60)}`,
      link: `https://news.example/${i}/${'path/'.repeat(40)}`,
    });
  const digest: DigestMessage = {
    kind: 'digest',
    reason: 'digest',
    alerts: Array.from({ length: 50 }, (_, i) => long(i)),
    timestamp: '2026-06-17T09:00:00.000Z',
  };

  it.each(presets)('%s: lists what fits, then "and N more" with where to see them; nothing dropped silently', (preset) => {
    const rendered = render(preset, digest);
    expectWithinLimits(preset, rendered);
    const all = strings(rendered).join('\n');
    const shown = new Set([...all.matchAll(/news\.example\/(\d+)\//g)].map((m) => Number(m[1])));
    const more = /and (\d+) more/.exec(all);
    expect(shown.size + (more ? Number(more[1]) : 0)).toBe(50);
    // The items shown are the first ones, in order.
    expect([...shown].sort((a, b) => a - b)).toEqual(Array.from({ length: shown.size }, (_, i) => i));
    if (more) expect(all).toContain('newswatch alerts');
    expect(shown.size).toBeGreaterThan(0);
  });
});
