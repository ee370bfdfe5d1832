import { describe, expect, it } from 'vitest';
import { channelFailingNotice, feedGoneNotice } from '../../../src/alerts/notices.js';
import { formatProblem, loadConfig } from '../../../src/config/load.js';
import { noticeTargets } from '../../../src/pipeline/notice-deliveries.js';
import { writeConfigDir } from '../../support/config-dir.js';

const at = '2026-11-30T12:00:00.000Z';

function config(settings: string) {
  const result = loadConfig(
    writeConfigDir({
      'feeds.yaml': 'feeds:\n  - id: wire\n    url: https://news.example/rss\n',
      'channels.yaml':
        'channels:\n  - id: ops\n    type: console\n  - id: hook\n    type: webhook\n    url: https://hooks.test/x\n  - id: log\n    type: console\n',
      'settings.yaml': settings,
    }),
    {},
  );
  if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
  return result.config;
}

describe('noticeTargets', () => {
  const gone = feedGoneNotice({ id: 'wire', url: 'https://news.example/rss' }, '410 Gone', at);

  it('sends to every channel when no health channels are named', () => {
    expect(noticeTargets(config(''), gone).map((t) => t.channelId)).toEqual(['ops', 'hook', 'log']);
  });

  it('sends only to the named health channels', () => {
    expect(noticeTargets(config('health: { channels: [ops, log] }\n'), gone).map((t) => t.channelId)).toEqual(['ops', 'log']);
  });

  it('never tells a failing channel about itself', () => {
    const failing = channelFailingNotice('hook', '500 Internal Server Error', at);
    expect(noticeTargets(config(''), failing).map((t) => t.channelId)).toEqual(['ops', 'log']);
    expect(noticeTargets(config('health: { channels: [hook] }\n'), failing)).toEqual([]);
  });

  it('gives each delivery an id from the notice and its channel, the same on a retry', () => {
    const targets = noticeTargets(config(''), gone);
    expect(targets).toEqual(noticeTargets(config(''), gone));
    expect(new Set(targets.map((t) => t.deliveryId)).size).toBe(3);
    expect(targets[0]!.deliveryId).toBe(`notice-feed-gone-wire-${Date.parse(at)}-to-ops`);
  });
});
