import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedServer } from '../support/feed-server.js';
import { startTestDaemon } from '../support/test-daemon.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

// The shipped rule and term sets, delivering to a loopback webhook instead of the shipped channels.
const SHIPPED_TERMS = readFileSync(new URL('../../config/terms.yaml', import.meta.url), 'utf8');
const SHIPPED_RULE = readFileSync(new URL('../../config/rules/korea.yaml', import.meta.url), 'utf8').replace(
  /channels: \[.*\]/,
  'channels: [hook]',
);

const ITEMS = [
  {
    guid: 'yonhap-1',
    title: '국정원 "북한, 러시아에 병력 4천 명 추가 파병"',
    description:
      '국가정보원은 북한이 러시아에 병력 4천 명을 추가로 파병했다고 국회 정보위원회에 보고했다. 군사 건설 인력 6천 명도 쿠르스크에 보낼 예정이다.',
  },
  {
    guid: 'tass-1',
    title: 'КНДР направит в Россию ещё 4 тыс. военных',
    description:
      'КНДР направит в Россию ещё 4 тыс. военных и около 6 тысяч военных строителей для восстановления Курской области, сообщила южнокорейская разведка.',
  },
  {
    guid: 'reuters-1',
    title: 'North Korea sends 4,000 more soldiers to Russia, Seoul says',
    description:
      'North Korea has sent 4,000 more soldiers to Russia, and 6,000 military construction troops will follow to the Kursk region, the NIS told lawmakers.',
  },
];

type Fact = { kind: string; text: string; value?: number; unit?: string; place?: string };

describe('multilingual watch: the shipped rule in Korean, Russian and English', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  it('alerts on each language version with the figures and place it reports', async () => {
    const feed = new FeedServer();
    const feedUrl = await feed.start();
    cleanup.push(() => feed.stop());
    feed.setItems(ITEMS);
    const hook = new WebhookReceiver();
    const hookUrl = await hook.start();
    cleanup.push(() => hook.stop());
    const d = await startTestDaemon({
      'feeds.yaml': `feeds:\n  - id: wires\n    url: ${feedUrl}\n`,
      'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n`,
      'terms.yaml': SHIPPED_TERMS,
      'rules/korea.yaml': SHIPPED_RULE,
    });
    cleanup.push(() => d.stop());

    const alerts = () =>
      hook.accepted.map((r) => JSON.parse(r.body) as { type: string; data: { article: { id: string; title: string }; facts: Fact[] } });
    await waitFor('an alert per language', () => new Set(alerts().map((a) => a.data.article.title)).size === 3, 20_000);
    const byTitle = new Map(alerts().map((a) => [a.data.article.title, a.data.facts]));
    const figures = (title: string) =>
      byTitle
        .get(title)!
        .filter((f) => f.kind === 'figure')
        .map((f) => [f.value, f.unit]);
    const places = (title: string) =>
      byTitle
        .get(title)!
        .filter((f) => f.kind === 'place')
        .map((f) => f.place);

    expect(figures(ITEMS[0]!.title)).toEqual([
      [4000, '병력'],
      [6000, '군사 건설 인력'],
    ]);
    expect(places(ITEMS[0]!.title)).toEqual(['Kursk']);
    expect(figures(ITEMS[1]!.title)).toEqual([
      [4000, 'военных'],
      [6000, 'военных строителей'],
    ]);
    expect(places(ITEMS[1]!.title)).toEqual(['Kursk']);
    expect(figures(ITEMS[2]!.title)).toEqual([
      [4000, 'soldiers'],
      [6000, 'military construction troops'],
    ]);
    expect(places(ITEMS[2]!.title)).toEqual(['Seoul', 'Kursk']);
    expect(alerts().every((a) => a.type === 'alert.matched')).toBe(true);
  });

  it('says in the follow-up what a later copy of the story adds', async () => {
    const first = new FeedServer();
    const second = new FeedServer();
    const urls = [await first.start(), await second.start()];
    cleanup.push(async () => void (await Promise.all([first.stop(), second.stop()])));
    const lead =
      "North Korea has sent 4,000 more soldiers to Russia to fight in the Kursk region, South Korea's spy agency told lawmakers on Wednesday.";
    first.setItems([{ guid: 'wire-a', title: 'North Korea sends 4,000 more soldiers to Russia', description: lead }]);
    const hook = new WebhookReceiver();
    const hookUrl = await hook.start();
    cleanup.push(() => hook.stop());
    const d = await startTestDaemon({
      'feeds.yaml': `feeds:\n  - id: first\n    url: ${urls[0]}\n  - id: second\n    url: ${urls[1]}\n    interval: 10s\n`,
      'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n`,
      'terms.yaml': SHIPPED_TERMS,
      'rules/korea.yaml': SHIPPED_RULE.replace('severity: high', 'severity: high\n    follow_up: 2'),
    });
    cleanup.push(() => d.stop());
    const bodies = () =>
      hook.accepted.map(
        (r) => JSON.parse(r.body) as { type: string; data: { facts: Fact[]; changes?: { facts: Fact[]; summary: string } } },
      );
    await waitFor('the first alert', () => bodies().length === 1, 20_000);
    second.setItems([
      {
        guid: 'wire-b',
        title: 'North Korea sends 4,000 more soldiers to Russia',
        description: `${lead} Another 6,000 military construction troops will follow, the agency said.`,
      },
    ]);
    await waitFor(
      'the follow-up, on the next 10 s slot of the second feed',
      () => bodies().some((b) => b.type === 'alert.follow_up'),
      30_000,
    );
    const followUp = bodies().find((b) => b.type === 'alert.follow_up')!;
    expect(followUp.data.changes?.facts.map((f) => f.text)).toEqual(['6,000 military construction troops']);
    expect(followUp.data.changes?.summary).toBe('now 6,000 military construction troops as well');
  }, 60_000);
});
