import { describe, expect, it } from 'vitest';
import { MAX_FEED_ROWS, renderStatusPage, type StatusPageView } from '../../../src/http/status-page.js';
import type { FeedHealthRecord } from '../../../src/status/feed-health.js';
import type { StatusSnapshot } from '../../../src/status/snapshot.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const HOSTILE = '<script>alert(1)</script>"\'&';

function feed(id: string, over: Partial<FeedHealthRecord> = {}): FeedHealthRecord {
  return {
    id,
    url: 'http://x/',
    enabled: true,
    tags: [],
    intervalMs: 300_000,
    health: 'ok',
    consecutiveFailures: 0,
    lastAttempt: null,
    lastSuccess: null,
    lastStatus: 200,
    lastError: null,
    itemsSeen: 0,
    nextDue: null,
    ...over,
  };
}

function snapshot(over: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    at: new Date(NOW).toISOString(),
    redis: 'redis://127.0.0.1:6379',
    prefix: 'newswatch',
    queues: [{ name: 'fetch', jobs: { waiting: 1, active: 0, delayed: 0, failed: 0 }, workers: 1 }],
    feeds: { counts: { ok: 1, failing: 0, 'never-fetched': 0, disabled: 0, gone: 0 }, records: [feed('wire')] },
    channels: [],
    deliveries: { failedJobs: 0, failing: [] },
    alerts: { windowMs: 86_400_000, total: 0, recent: [] },
    rules: [],
    health: { status: 'healthy', reasons: [] },
    ...over,
  };
}

const view = (over: Partial<StatusPageView> = {}): StatusPageView => ({
  snapshot: snapshot(),
  process: { version: '1.0.0', roles: ['fetch'], generation: 3 },
  refreshSeconds: 15,
  now: NOW,
  ...over,
});

describe('renderStatusPage', () => {
  it('escapes every text from feeds, Redis and the config, and links only http(s) URLs', () => {
    const html = renderStatusPage(
      view({
        snapshot: snapshot({
          feeds: {
            counts: { ok: 0, failing: 1, 'never-fetched': 0, disabled: 0, gone: 0 },
            records: [feed('wire', { health: 'failing', consecutiveFailures: 2, lastError: HOSTILE })],
          },
          alerts: {
            windowMs: 86_400_000,
            total: 2,
            recent: [
              {
                alertId: 'a1',
                at: NOW,
                ruleId: 'nk',
                title: HOSTILE,
                link: 'javascript:alert(1)',
                deliveries: { hook: { attempts: 1, ok: false, lastError: HOSTILE } },
              },
              { alertId: 'a2', at: NOW, ruleId: 'nk', title: 'fine', link: 'https://example.test/?a=1&b="2"', deliveries: {} },
            ],
          },
          rules: [{ id: 'nk', name: HOSTILE, enabled: true, alerts: 2 }],
          health: { status: 'degraded', reasons: [HOSTILE] },
        }),
        process: {
          version: '1.0.0',
          roles: ['fetch'],
          generation: 3,
          lastReload: { ok: false, at: NOW, problems: [`rules/x.yaml:2 ${HOSTILE}`] },
        },
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('href="javascript:');
    expect(html.match(/&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;&apos;&amp;/g)?.length).toBeGreaterThanOrEqual(6);
    expect(html).toContain('<a href="https://example.test/?a=1&amp;b=&quot;2&quot;"');
    expect(html).toContain('<meta http-equiv="refresh" content="15">');
  });

  it('lists the worst feeds first and at most MAX_FEED_ROWS of them', () => {
    const records = Array.from({ length: MAX_FEED_ROWS + 5 }, (_, i) => feed(`f${i}`));
    records.push(feed('broken', { health: 'failing', consecutiveFailures: 9 }), feed('gone-one', { health: 'gone' }));
    const html = renderStatusPage(
      view({ snapshot: snapshot({ feeds: { counts: { ok: 0, failing: 1, 'never-fetched': 0, disabled: 0, gone: 1 }, records } }) }),
    );
    const rows = [...html.matchAll(/<tr><th scope="row">([^<]+)<\/th><td class="[^"]*">(?:ok|failing|gone)/g)].map((m) => m[1]);
    expect(rows).toHaveLength(MAX_FEED_ROWS);
    expect(rows.slice(0, 2)).toEqual(['broken', 'gone-one']);
    expect(html).toContain(`${records.length - MAX_FEED_ROWS} more feeds not shown`);
  });

  it('still renders, saying why, when Redis cannot be read', () => {
    const html = renderStatusPage(view({ snapshot: undefined, redisError: 'connect ECONNREFUSED <127.0.0.1:6379>' }));
    expect(html).toContain('id="verdict">unavailable<');
    expect(html).toContain('connect ECONNREFUSED &lt;127.0.0.1:6379&gt;');
    expect(html).toContain('config generation <b id="generation">3</b>');
  });
});
