import type { DigestMessage } from '../../../src/alerts/message.js';
import type { ViewSettings } from '../../../src/alerts/view-model.js';
import { alertJob, alertMessage } from './message-fixture.js';

/** Readers in Seoul, 12 minutes after the fixture article was published: the clock every golden test uses. */
export const seoulReaders: ViewSettings = {
  timezone: 'Asia/Seoul',
  now: () => new Date('2026-06-17T08:12:00Z'),
  publicUrl: 'https://newswatch.example.org/',
};

export const normalAlert = alertMessage({
  article: {
    ...alertJob().article,
    feedTitle: 'Conflict Wire',
    title: 'North Korea to send 6,000 troops to Kursk',
  },
  facts: [
    { kind: 'figure', text: '6,000 troops', value: 6000, unit: 'troops' },
    { kind: 'place', text: 'Kursk', place: 'Kursk' },
  ],
});

/** Everything a hostile or just unusual feed sends: a very long title, HTML, emoji, RTL and Korean text, planted links. */
export const hostileAlert = alertMessage({
  title: `<script>alert(1)</script> Kim &amp; "Putin" [click](https://evil.example) 👨‍👩‍👧 🇰🇷 서울에서 정상회담 שלום مرحبا ${'very long headline '.repeat(120)}`,
  snippet: '«서울» talks <b>bold</b> & [x](https://evil.example) «👨‍👩‍👧» שלום «troops» *stars* _under_',
  link: 'https://news.example/서울/정상회담?q=a&b=<c>',
});

/** 50 alerts of two rules, some sharing a story, with long headlines. */
export function bigDigest(): DigestMessage {
  const alerts = Array.from({ length: 50 }, (_, i) =>
    alertJob({
      alertId: `alert-${i}`,
      title: `${i}: ${'North Korean troop movements near the border reported by several outlets '.repeat(i % 3 === 0 ? 30 : 1)}`,
      link: `https://news.example/${i}/story`,
      rule:
        i % 4 === 0
          ? { id: 'ru-ko', name: 'Russia–Korea talks', severity: 'critical', labels: {} }
          : { id: 'nk-troops', name: 'New North Korean troop deployments', severity: 'high', labels: { desk: 'asia' } },
      story: { id: `st-${Math.floor(i / 3)}`, sources: 2, links: [`https://other.example/${i}`] },
      matchedAt: new Date(Date.parse('2026-06-17T00:00:00Z') + i * 60_000).toISOString(),
    }),
  );
  return { kind: 'digest', reason: 'digest', alerts, timestamp: '2026-06-17T08:00:00.000Z' };
}
