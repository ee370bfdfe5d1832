import { describe, expect, it } from 'vitest';
import {
  channelDisabledNotice,
  channelFailingNotice,
  channelRecoveredNotice,
  feedFailureNotice,
  feedGoneNotice,
  feedRecoveryNotice,
} from '../../../src/alerts/notices.js';

const AT = '2026-11-29T12:00:00.000Z';
const feed = { id: 'wire', url: 'https://user:secret@example.test/feed.xml?token=abc' };

describe('feed notices', () => {
  it('reports a failing feed once: when its failures in a row reach the threshold', () => {
    expect(feedFailureNotice(feed, 9, 'HTTP 500', 10, AT)).toBeUndefined();
    expect(feedFailureNotice(feed, 11, 'HTTP 500', 10, AT)).toBeUndefined();
    const notice = feedFailureNotice(feed, 10, 'HTTP 500', 10, AT)!;
    expect(notice).toMatchObject({
      type: 'feed.unhealthy',
      title: 'Feed wire has failed 10 times in a row',
      text: 'Last error: HTTP 500. newswatch keeps retrying with backoff.',
      timestamp: AT,
      subject: { kind: 'feed', id: 'wire' },
    });
    expect(notice.details).toMatchObject({ failures: 10, error: 'HTTP 500' });
  });

  it('reports a recovery only for a feed that had been reported', () => {
    expect(feedRecoveryNotice(feed, 9, 10, AT)).toBeUndefined();
    expect(feedRecoveryNotice(feed, 12, 10, AT)).toMatchObject({
      type: 'feed.recovered',
      title: 'Feed wire works again',
      text: 'After 12 failures, wire was fetched successfully.',
    });
  });

  it('reports a gone feed, and never shows the credentials in its url', () => {
    const notice = feedGoneNotice(feed, 'HTTP 410 Gone', AT);
    expect(notice).toMatchObject({ type: 'feed.gone', title: 'Feed wire is gone (410) and was disabled', text: 'HTTP 410 Gone' });
    expect(String(notice.details.url)).not.toContain('secret');
  });
});

describe('channel notices', () => {
  it('say which channel and why', () => {
    expect(channelDisabledNotice('hook', 'answered HTTP 410', AT)).toMatchObject({
      type: 'channel.unhealthy',
      title: 'Channel hook disabled: receiver answered 410 Gone',
      subject: { kind: 'channel', id: 'hook' },
      details: { reason: 'answered HTTP 410' },
    });
    expect(channelFailingNotice('hook', 'answered HTTP 503', AT)).toMatchObject({
      type: 'channel.unhealthy',
      text: 'Deliveries to hook keep failing: answered HTTP 503',
    });
    expect(channelRecoveredNotice('hook', AT)).toMatchObject({ type: 'channel.recovered', title: 'Channel hook works again', details: {} });
  });
});
