import type { AlertMessage, DigestMessage, Message, NoticeMessage } from '../../../src/alerts/message.js';
import type { AlertJob } from '../../../src/alerts/alert.js';

/** Alerts, digests and notices shaped like the pipeline's, for channel and template tests. */
export function alertJob(overrides: Partial<AlertJob> & { title?: string; link?: string; snippet?: string } = {}): AlertJob {
  const { title, link, snippet, ...rest } = overrides;
  return {
    alertId: 'alert-nk-troops-kursk-1',
    event: 'alert.matched',
    rule: { id: 'nk-troops', name: 'North Korean troops', severity: 'high', labels: { desk: 'asia' } },
    channels: ['out'],
    article: {
      id: 'kursk-1',
      feedId: 'wire',
      title: title ?? 'North Korea to send 6,000 troops to Kursk',
      link: link ?? 'https://news.example/kursk-1',
      author: 'Desk',
      categories: ['world'],
      published: '2026-06-17T08:00:00.000Z',
      fetchedAt: '2026-06-17T08:01:00.000Z',
    },
    match: {
      ruleId: 'nk-troops',
      matched: ['North Korea', 'troops', 'Kursk'],
      terms: [],
      snippet: snippet ?? '«North Korea» will send 6,000 «troops» to «Kursk», an official said',
    },
    matchedAt: '2026-06-17T08:01:02.000Z',
    story: { id: 'st-42', sources: 3, links: ['https://other.example/a', 'https://third.example/b'] },
    ...rest,
  };
}

export const alertMessage = (overrides: Parameters<typeof alertJob>[0] = {}): AlertMessage => ({
  kind: 'alert',
  alert: alertJob(overrides),
});

export function digestMessage(count: number): DigestMessage {
  const alerts = Array.from({ length: count }, (_, i) =>
    alertJob({
      alertId: `alert-${i}`,
      title: `Headline number ${i}`,
      link: `https://news.example/${i}`,
      rule: { id: 'r', name: 'Rule', severity: i === 1 ? 'critical' : 'low', labels: {} },
    }),
  );
  return { kind: 'digest', reason: 'digest', alerts, timestamp: '2026-06-17T09:00:00.000Z' };
}

export const noticeMessage: NoticeMessage = {
  kind: 'notice',
  notice: {
    type: 'channel.unhealthy',
    title: 'Channel "slack-desk" is failing',
    text: 'Every delivery for 24 h failed: 404 no_service',
    timestamp: '2026-06-17T10:00:00.000Z',
    subject: { kind: 'channel', id: 'slack-desk' },
    details: { failures: 12 },
  },
};

/** A channel's `send` arguments: the message and its delivery id. */
export const delivery = (message: Message, deliveryId = 'alert-nk-troops-kursk-1-to-out') => [message, deliveryId] as const;
