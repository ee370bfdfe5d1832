import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import { writeConfigDir } from '../support/config-dir.js';
import { FeedServer, type FeedItem } from '../support/feed-server.js';
import { SmtpReceiver } from '../support/smtp-receiver.js';
import { Collector, listSource } from '../support/collector.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const SECRET = `whsec_${Buffer.from('a very secret test key, 32 bytes!').toString('base64')}`;

// Items modelled on real reporting: two about North Korean troops for Russia, three near misses.
const KURSK: FeedItem = {
  guid: 'kursk-1',
  title: 'North Korea to send 4,000 more soldiers and 6,000 construction troops to Kursk',
  description:
    "Pyongyang will dispatch thousands more troops to Russia's Kursk region to help rebuild it, a senior Russian security official said after talks in Pyongyang.",
};
const CASUALTIES: FeedItem = {
  guid: 'nis-2',
  title: "Seoul's spy agency says North Korean soldiers killed in Russia's war",
  description:
    'South Korean intelligence told lawmakers that North Korean troops deployed to the Kursk front had suffered heavy casualties.',
};
const UNRELATED: FeedItem[] = [
  { guid: 'stocks-3', title: 'Seoul shares close higher on chip rally', description: 'The KOSPI rose 1.2 percent as chipmakers gained.' },
  {
    guid: 'missile-4',
    title: 'North Korea fires ballistic missile into the East Sea',
    description: "South Korea's military said the launch came from near Pyongyang.",
  },
  {
    guid: 'donetsk-5',
    title: 'Russian troops advance near Pokrovsk',
    description: 'Russian soldiers pushed forward in the Donetsk region, Ukraine said.',
  },
];
const LATER: FeedItem = {
  guid: 'engineers-6',
  title: 'North Korean military engineers arrive in Russia',
  description: 'The first group of North Korean troops sent to clear mines in Kursk has arrived in Russia, state media reported.',
};

describe('newswatch end to end: feed -> Redis -> rules -> webhook and email', () => {
  const feed = new FeedServer();
  const hook = new WebhookReceiver();
  const smtp = new SmtpReceiver();
  let configDir: string;
  let daemon: Daemon | undefined;
  const logLines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });

  const start = async () => {
    daemon = await startDaemon({ configDir, log, env: { REDIS_URL: inject('redisUrl') }, http: 'off' });
  };

  beforeAll(async () => {
    feed.setItems([KURSK, CASUALTIES, ...UNRELATED]);
    const [feedUrl, hookUrl, smtpPort] = await Promise.all([feed.start(), hook.start(), smtp.start()]);
    configDir = writeConfigDir({
      'settings.yaml': `redis: { prefix: test-${randomUUID()} }\ndelivery: { retry_schedule: [100ms, 100ms, 100ms, 100ms] }\n`,
      'feeds.yaml': `feeds:\n  - id: wire\n    url: ${feedUrl}\n    interval: 10s\n`,
      'channels.yaml': `channels:
  - id: hook
    type: webhook
    url: ${hookUrl}
    secret: ${SECRET}
  - id: mail
    type: email
    to: desk@example.test
    from: newswatch@example.test
    host: 127.0.0.1
    port: ${smtpPort}
  - id: jsonl
    type: file
    path: ${join(writeConfigDir({}), 'alerts.jsonl')}
`,
      'rules/korea.yaml': `rules:
  - id: nk-troops-russia
    name: North Korean troops to Russia
    query: '("North Korea" OR "North Korean" OR Pyongyang) AND (troops OR soldiers OR engineers) AND (Russia OR Kursk)'
    channels: [hook, mail, jsonl]
`,
    });
    await start();
  });

  afterAll(async () => {
    await daemon?.stop();
    await Promise.all([feed.stop(), hook.stop(), smtp.stop()]);
  });

  const guidOf = (body: string): string => JSON.parse(body).data.article.link.split('/').pop();
  const alertedGuids = () => hook.accepted.map((r) => guidOf(r.body)).sort();
  const subject = (item: FeedItem) => `[newswatch] [North Korean troops to Russia] ${item.title}`;
  /** Webhook alerts (by guid) and mails (by subject) from index `from` of what each receiver holds: by default, from now. */
  const arrivals = (from?: { webhooks: number; mails: number }) => ({
    webhooks: new Collector(
      'webhook alerts',
      listSource(() => hook.accepted, from?.webhooks),
      (r) => guidOf(r.body),
    ),
    mails: new Collector(
      'mails',
      listSource(() => smtp.messages, from?.mails),
      (m) => m.subject ?? '',
    ),
  });

  it('alerts exactly the matching items, once each, on webhook and email, signed', async () => {
    const { webhooks, mails } = arrivals({ webhooks: 0, mails: 0 });
    const window = { withinMs: 15_000, quietMs: 500 };
    await Promise.all([
      webhooks.expectExactly(['kursk-1', 'nis-2'], window),
      mails.expectExactly([subject(CASUALTIES), subject(KURSK)], window),
    ]);
    const verifier = new Webhook(SECRET);
    for (const req of hook.accepted) {
      const payload = verifier.verify(req.body, req.headers as Record<string, string>) as {
        type: string;
        data: { rule: { id: string }; matched: string[]; article: { snippet: string } };
      };
      expect(payload.type).toBe('alert.matched');
      expect(payload.data.rule.id).toBe('nk-troops-russia');
      expect(payload.data.matched.length).toBeGreaterThan(0);
      expect(payload.data.article.snippet).toMatch(/«/);
    }
    const mail = smtp.messages.find((m) => m.subject?.includes('Kursk'))!;
    expect(mail.text).toContain('http://example.test/kursk-1');
    // Matched words are highlighted in the HTML part (a <mark> element with inline styles).
    expect(mail.html).toMatch(/<mark [^>]*>[^<]+<\/mark>/);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('answers 304 on an unchanged feed and alerts a new item once on the next poll', async () => {
    await waitFor('a conditional GET answered 304', () => feed.notModified >= 1, 15_000);
    const { webhooks, mails } = arrivals();
    feed.setItems([LATER, KURSK, CASUALTIES, ...UNRELATED]);
    const window = { withinMs: 15_000, quietMs: 500 };
    await Promise.all([webhooks.expectExactly(['engineers-6'], window), mails.expectExactly([subject(LATER)], window)]);
    expect(alertedGuids()).toEqual(['engineers-6', 'kursk-1', 'nis-2']);
    expect(smtp.messages).toHaveLength(3);
  });

  it('does not alert again after a restart', async () => {
    await daemon!.stop();
    const before = feed.requests;
    const delivered = { webhooks: hook.accepted.length, mails: smtp.messages.length };
    await start();
    // The restarted daemon waits for the next slot, fetches a changed-looking feed (new ETag), and must stay quiet.
    feed.setItems([LATER, KURSK, CASUALTIES, ...UNRELATED]);
    await waitFor('a fetch by the restarted daemon', () => feed.requests > before, 15_000);
    // Nothing since the restart, and nothing for 1.5 s after that fetch (its articles would alert well within it).
    const { webhooks, mails } = arrivals(delivered);
    const window = { withinMs: 0, quietMs: 1_500 };
    await Promise.all([webhooks.expectExactly([], window), mails.expectExactly([], window)]);
    expect(alertedGuids()).toEqual(['engineers-6', 'kursk-1', 'nis-2']);
    expect(smtp.messages).toHaveLength(3);
  });

  it('retries a failing webhook with the same webhook-id until it succeeds', async () => {
    hook.respond = ({ attempt }) => (attempt <= 2 ? 500 : 200);
    feed.setItems([
      { guid: 'retry-7', title: 'Pyongyang confirms troops fought in Kursk for Russia', description: 'North Korea confirmed it.' },
      LATER,
      KURSK,
    ]);
    await waitFor('the retried alert', () => alertedGuids().includes('retry-7'), 20_000);
    const attempts = hook.requests.filter((r) => r.body.includes('retry-7'));
    expect(attempts.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(attempts.map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('writes one JSON line per alert to the file channel', () => {
    const path = (daemon!.config().channels.find((c) => c.id === 'jsonl') as { path: string }).path;
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.data.article.id).length).toBe(new Set(lines.map((l) => l.deliveryId)).size);
    expect(lines.length).toBeGreaterThanOrEqual(4);
  });
});
