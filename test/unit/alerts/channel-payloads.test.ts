import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, discordPayload, fitEmbeds } from '../../../src/alerts/channels/discord.js';
import { renderEmail, EmailTemplates, threadHeaders } from '../../../src/alerts/channels/email.js';
import { headerValue, ntfyRequest } from '../../../src/alerts/channels/ntfy.js';
import { slackPayload } from '../../../src/alerts/channels/slack.js';
import { teamsPayload } from '../../../src/alerts/channels/teams.js';
import { telegramText } from '../../../src/alerts/channels/telegram.js';
import { messageContent } from '../../../src/alerts/render.js';
import { ChannelTemplates } from '../../../src/alerts/templates.js';
import { alertMessage, delivery, digestMessage, noticeMessage } from './message-fixture.js';

const chars = (s: string | undefined) => [...(s ?? '')].length;
// Readers in Seoul, 12 minutes after the fixture article was published.
const seoul = { timezone: 'Asia/Seoul', now: () => new Date('2026-06-17T08:12:00Z') };

describe('discord', () => {
  it('keeps every embed within Discord limits and the total under 6000', () => {
    const long = 'x'.repeat(5000);
    const fitted = fitEmbeds(Array.from({ length: 14 }, () => ({ title: 't'.repeat(400), description: long, footer: { text: 'f' } })));
    expect(fitted.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
    for (const e of fitted) {
      expect(chars(e.title)).toBeLessThanOrEqual(DISCORD_LIMITS.title);
      expect(chars(e.description)).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    }
    expect(fitted.reduce((n, e) => n + chars(e.title) + chars(e.description) + chars(e.footer?.text), 0)).toBeLessThanOrEqual(
      DISCORD_LIMITS.total,
    );
  });

  it('leaves out an empty description, which Discord would reject', () => {
    const notice = { ...noticeMessage, notice: { ...noticeMessage.notice, text: '' } };
    expect(discordPayload(notice, messageContent(notice), false).embeds).toEqual([{ title: 'Channel "slack-desk" is failing' }]);
  });

  it('lists a digest as one embed per rule with one line per item, under a header', () => {
    const message = digestMessage(13);
    const payload = discordPayload(message, messageContent(message), false, seoul);
    expect(payload.embeds).toHaveLength(1);
    expect(payload.embeds[0]!.description!.split('\n').filter(Boolean)).toHaveLength(13);
    expect(payload.embeds[0]!.description).toMatch(/^• \[Headline number 0\]\(https:\/\/news\.example\/0\) — wire · 17:00 KST\n/);
    expect(payload).toMatchObject({ content: '**13 new alerts for Rule since 17:01 KST**', allowed_mentions: { parse: [] } });
  });
});

describe('slack', () => {
  it('escapes mrkdwn control characters from feed text', () => {
    const message = alertMessage({ snippet: 'a <@U123> & <!channel> b' });
    const section = slackPayload(message, messageContent(message), false).blocks[1] as { text: { text: string } };
    expect(section.text.text).toContain('a &lt;@U123&gt; &amp; &lt;!channel&gt; b');
  });

  it('stays within 50 blocks for a large digest', () => {
    const message = digestMessage(60);
    const payload = slackPayload(message, messageContent(message), false, seoul);
    expect(payload.blocks.length).toBe(50);
    // Header, the rule's context line, 47 items, and the count of the rest.
    expect(payload.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '…and 13 more (see them with `newswatch alerts`)' }],
    });
  });
});

describe('teams', () => {
  it('links digest items in the card and has no open button', () => {
    const message = digestMessage(2);
    const card = teamsPayload(message, messageContent(message), false, seoul).attachments[0]!.content;
    expect(card.body.slice(0, 3)).toMatchObject([
      { type: 'TextBlock', text: '2 new alerts for Rule since 17:01 KST', weight: 'Bolder' },
      { type: 'TextBlock', text: '**Rule**' },
      { type: 'TextBlock', text: '[Headline number 0](https://news.example/0) — wire · 17:00 KST' },
    ]);
    expect(card).not.toHaveProperty('actions');
  });
});

describe('ntfy', () => {
  it('RFC 2047-encodes non-ASCII header values and flattens line breaks', () => {
    expect(headerValue('Plain title')).toBe('Plain title');
    expect(headerValue('a\nb')).toBe('a b');
    const encoded = headerValue('Sŏul — 서울');
    expect(encoded).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(Buffer.from(encoded.slice(10, -2), 'base64').toString('utf8')).toBe('Sŏul — 서울');
  });

  it('cuts the body at 4096 bytes without splitting a character', () => {
    const message = alertMessage({ snippet: '서'.repeat(3000) });
    const { body } = ntfyRequest(message, messageContent(message), { tags: [] });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4096);
    expect(body.endsWith('서…')).toBe(true);
  });

  it('percent-encodes a non-ASCII link for the Click header', () => {
    const message = alertMessage({ link: 'https://news.example/서울 뉴스' });
    expect(ntfyRequest(message, messageContent(message), { tags: [] }).headers.Click).toBe(
      'https://news.example/%EC%84%9C%EC%9A%B8%20%EB%89%B4%EC%8A%A4',
    );
  });

  it('takes the digest priority from its most severe alert and marks notices', () => {
    const digest = digestMessage(3);
    expect(ntfyRequest(digest, messageContent(digest), { tags: [] }).headers.Priority).toBe('5');
    expect(ntfyRequest(noticeMessage, messageContent(noticeMessage), { tags: [] }).headers).toMatchObject({
      Priority: '4',
      Tags: 'warning',
    });
  });
});

describe('telegram', () => {
  it('escapes feed text for parse_mode HTML and bolds the matched words', () => {
    const text = telegramText(
      alertMessage({ title: 'A <b> & "c"', snippet: 'x «troops» <i>' }),
      new ChannelTemplates(undefined, 'html'),
      seoul,
    );
    expect(text).toBe(
      [
        '<a href="https://news.example/kursk-1"><b>A &lt;b&gt; &amp; &quot;c&quot;</b></a>',
        '<i>North Korean troops · high</i>',
        'wire (news.example) · 17 Jun 2026, 17:00 KST (12 min ago)',
        '',
        'x <b>troops</b> &lt;i&gt;',
        '',
        '<b>Why:</b> North Korea, troops, Kursk',
        'Also reported by 2 other sources: <a href="https://other.example/a">other.example</a>, <a href="https://third.example/b">third.example</a>',
        'desk: asia',
      ].join('\n'),
    );
  });

  it('escapes values in templates and keeps the template tags', () => {
    const templates = new ChannelTemplates({ body: '<i>{{ article.title }}</i>' }, 'html');
    expect(telegramText(alertMessage({ title: 'x < y' }), templates)).toMatch(/\n\n<i>x &lt; y<\/i>$/);
  });
});

describe('email', () => {
  it('threads alerts of a story under one root id and gives other messages their own id', () => {
    expect(threadHeaders(...delivery(alertMessage()))).toEqual({
      messageId: '<alert-nk-troops-kursk-1@newswatch>',
      inReplyTo: '<story-st-42@newswatch>',
      references: '<story-st-42@newswatch>',
    });
    expect(threadHeaders(...delivery(alertMessage({ story: undefined })))).toEqual({ messageId: '<alert-nk-troops-kursk-1@newswatch>' });
    expect(threadHeaders(...delivery(digestMessage(2), 'digest-out-123'))).toEqual({ messageId: '<digest-out-123@newswatch>' });
  });

  it('keeps message ids valid whatever characters an id has', () => {
    const { messageId } = threadHeaders(...delivery(alertMessage({ alertId: 'alert-r.1-a b(c)@x' })));
    expect(messageId).toMatch(/^<[A-Za-z0-9%_-]+@newswatch>$/);
  });

  it('escapes template output in the HTML part only', () => {
    const templates = new EmailTemplates({
      subject: 'NK: {{ article.title }}',
      body: 'Read <a href="{{ article.link }}">{{ article.title }}</a>',
    });
    const mail = renderEmail(alertMessage({ title: 'Tom & <Jerry>', link: 'https://x.example/?a=1&b="2"' }), templates);
    expect(mail.subject).toBe('NK: Tom & <Jerry>');
    expect(mail.text).toContain('Read <a href="https://x.example/?a=1&b="2"">Tom & <Jerry></a>');
    expect(mail.html).toContain('Read <a href="https://x.example/?a=1&amp;b=&#34;2&#34;">Tom &amp; &lt;Jerry&gt;</a>');
    expect(mail.html).toMatch(/<h1 [^>]*><a [^>]*title="Tom &#38; &#60;Jerry&#62;"[^>]*>Tom &#38; &#60;Jerry&#62;<\/a><\/h1>/);
  });
});
