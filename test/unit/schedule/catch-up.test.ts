import { describe, expect, it } from 'vitest';
import { catchUpTimes } from '../../../src/schedule/catch-up.js';

const NOW = 1_800_000_000_000;
const hostOf = (url: string) => (url.startsWith('http') ? new URL(url).host : undefined);

describe('catch-up: overdue feeds queued at the pace of their host', () => {
  it('gives the feeds of one host one gap apart, in list order, and other hosts their own line', () => {
    const feeds = ['http://a/1', 'http://a/2', 'http://b/1', 'http://a/3', 'http://b/2'];
    expect(catchUpTimes(feeds, hostOf, NOW, 1_000)).toEqual([NOW, NOW + 1_000, NOW, NOW + 2_000, NOW + 1_000]);
  });

  it('queues feeds without a host, or every feed when there is no gap, at once', () => {
    expect(catchUpTimes(['feeds/local.xml', 'feeds/other.xml'], hostOf, NOW, 1_000)).toEqual([NOW, NOW]);
    expect(catchUpTimes(['http://a/1', 'http://a/2'], hostOf, NOW, 0)).toEqual([NOW, NOW]);
  });

  it('spreads a large backlog so that each second holds at most one feed per host', () => {
    const feeds = Array.from({ length: 10_000 }, (_, i) => `http://site${Math.floor(i / 100)}/${i}`);
    const times = catchUpTimes(feeds, hostOf, NOW, 1_000);
    const perSecondAndHost = new Map<string, number>();
    feeds.forEach((url, i) =>
      perSecondAndHost.set(`${hostOf(url)}@${times[i]}`, (perSecondAndHost.get(`${hostOf(url)}@${times[i]}`) ?? 0) + 1),
    );
    expect(Math.max(...perSecondAndHost.values())).toBe(1);
    expect(Math.max(...times) - NOW).toBe(99_000);
  });
});
