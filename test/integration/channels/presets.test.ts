import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createChannel, DeliveryError } from '../../../src/alerts/channels/index.js';
import { channelSchema } from '../../../src/config/schema.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';
import { alertMessage, delivery, digestMessage } from '../../unit/alerts/message-fixture.js';

// Each preset against a loopback receiver: the exact request its service documents.
describe('channel presets on the wire', () => {
  const receiver = new WebhookReceiver();
  let url: string;

  beforeAll(async () => {
    url = await receiver.start();
  });
  afterAll(() => receiver.stop());
  afterEach(() => {
    receiver.requests.length = 0;
    receiver.respond = () => 200;
  });

  // Readers in Seoul, 12 minutes after the fixture article was published.
  const view = { timezone: 'Asia/Seoul', now: () => new Date('2026-06-17T08:12:00Z') };
  const channel = (config: Record<string, unknown>) =>
    createChannel(channelSchema.parse({ id: 'out', ...config }), { timeoutMs: 2_000, view });
  const only = () => {
    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    return { ...req, json: req.headers['content-type']?.startsWith('application/json') ? JSON.parse(req.body) : undefined };
  };

  // Rendering changed deliberately with the alert view model (issue 14): headline header, highlighted
  // snippet, context lines (rule, source, time in the reader's zone, why, story, labels).
  it('slack: Block Kit blocks and a fallback text', async () => {
    await channel({ type: 'slack', url }).send(...delivery(alertMessage()));
    const req = only();
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    const context = (...texts: string[]) => ({ type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn', text })) });
    expect(req.json).toEqual({
      text: '[North Korean troops] North Korea to send 6,000 troops to Kursk https://news.example/kursk-1',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'North Korea to send 6,000 troops to Kursk', emoji: false } },
        { type: 'section', text: { type: 'mrkdwn', text: '*North Korea* will send 6,000 *troops* to *Kursk*, an official said' } },
        context('*North Korean troops* · high', 'wire (news.example)', '17 Jun 2026, 17:00 KST (12 min ago)'),
        context('Matched North Korea, troops, Kursk'),
        context('Also reported by 2 other sources: <https://other.example/a|other.example>, <https://third.example/b|third.example>'),
        context('desk: asia'),
        {
          type: 'actions',
          elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open article' }, url: 'https://news.example/kursk-1' }],
        },
      ],
      unfurl_links: false,
    });
  });

  it('slack: a digest has a header, the rule, and one compact line per item', async () => {
    await channel({ type: 'slack', url }).send(...delivery(digestMessage(2)));
    const { json } = only();
    expect(json.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: '2 new alerts for Rule since 17:01 KST', emoji: false } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '*Rule* · low' }] },
      { type: 'section', text: { type: 'mrkdwn', text: '• <https://news.example/0|Headline number 0> — wire · 17:00 KST' } },
      { type: 'section', text: { type: 'mrkdwn', text: '• <https://news.example/1|Headline number 1> — wire · 17:00 KST' } },
    ]);
  });

  it('discord: an embed with title, url and description, and no mentions', async () => {
    await channel({ type: 'discord', url, template: { body: '{{ snippet }} ({{ story.sources }} sources) @everyone' } }).send(
      ...delivery(alertMessage()),
    );
    expect(only().json).toEqual({
      embeds: [
        {
          // Markdown in the default title is escaped; the colour is the view model's for "high".
          title: '\\[North Korean troops\\] North Korea to send 6,000 troops to Kursk',
          url: 'https://news.example/kursk-1',
          description: '«North Korea» will send 6,000 «troops» to «Kursk», an official said (3 sources) @everyone',
          color: 0xe8590c,
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('teams: an Adaptive Card in a message envelope', async () => {
    await channel({
      type: 'teams',
      url,
      template: { title: '{{ article.title }}', body: 'Matched {{ matched | join: ", " }}\nby {{ rule.name }}' },
    }).send(...delivery(alertMessage()));
    expect(only().json).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.2',
            body: [
              { type: 'TextBlock', text: 'North Korea to send 6,000 troops to Kursk', weight: 'Bolder', size: 'Medium', wrap: true },
              { type: 'TextBlock', text: 'Matched North Korea, troops, Kursk\n\nby North Korean troops', wrap: true },
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Open article', url: 'https://news.example/kursk-1' }],
            msteams: { width: 'Full' },
          },
        },
      ],
    });
  });

  it('ntfy: text body with Title, Priority, Tags, Click and bearer auth', async () => {
    const title = 'Сеул: {{ article.title }}';
    await channel({ type: 'ntfy', url, token: 'tk_secret', tags: ['rotating_light'], template: { title, body: '{{ snippet }}' } }).send(
      ...delivery(alertMessage()),
    );
    const req = only();
    expect(req.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(req.body).toBe('«North Korea» will send 6,000 «troops» to «Kursk», an official said');
    expect(req.headers).toMatchObject({
      priority: '4',
      tags: 'newspaper,nk-troops,rotating_light',
      click: 'https://news.example/kursk-1',
      authorization: 'Bearer tk_secret',
    });
    // RFC 2047: encoded words of at most 75 characters, separated by spaces.
    const words = String(req.headers.title).split(' ');
    for (const word of words) expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(Math.max(...words.map((w) => w.length))).toBeLessThanOrEqual(75);
    expect(words.map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8')).join('')).toBe(
      'Сеул: North Korea to send 6,000 troops to Kursk',
    );
  });

  it('telegram: sendMessage with chat_id and escaped HTML', async () => {
    const token = '123456:ABC-def_1';
    await channel({
      type: 'telegram',
      token,
      chat_id: '@newsdesk',
      api_url: url,
      template: { title: '{{ article.title }}', body: '<a href="{{ article.link }}">read</a> · {{ snippet }}' },
    }).send(...delivery(alertMessage({ title: 'Troops & <tanks>' })));
    const req = only();
    expect(req.url).toBe(`/hook/bot${token}/sendMessage`);
    expect(req.json).toEqual({
      chat_id: '@newsdesk',
      text: '<b>Troops &amp; &lt;tanks&gt;</b>\n\n<a href="https://news.example/kursk-1">read</a> · «North Korea» will send 6,000 «troops» to «Kursk», an official said',
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: false },
    });
  });

  it('fails with the status, without the secret part of the URL', async () => {
    receiver.respond = () => 404;
    const token = '123456:SECRETTOKEN';
    const err = await channel({ type: 'telegram', token, chat_id: 1, api_url: url })
      .send(...delivery(alertMessage()))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retryable: false, status: 404 });
    expect((err as Error).message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\S* answered HTTP 404$/);
    expect((err as Error).message).not.toContain('SECRETTOKEN');
  });

  it('turns 429 into a retryable failure', async () => {
    receiver.respond = () => 429;
    const err = await channel({ type: 'discord', url })
      .send(...delivery(alertMessage()))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, status: 429 });
  });
});
