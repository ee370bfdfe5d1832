import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { statusCommand } from '../../src/cli/status.js';
import type { StatusSnapshot } from '../../src/status/snapshot.js';
import { captureOutput } from '../support/capture-output.js';
import { writeConfigDir } from '../support/config-dir.js';
import { freePort } from '../support/free-port.js';
import { FeedServer } from '../support/feed-server.js';
import { startTestDaemon, type TestDaemon } from '../support/test-daemon.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const RULES = 'rules:\n  - id: nk\n    name: NK troops\n    query: troops\n    channels: [hook]\n';

/** The same config files as a running test daemon, with the Redis URL spelled out as an operator's CLI would have it. */
function cliConfig(d: TestDaemon, files: Record<string, string>, settings = ''): string {
  return writeConfigDir({ ...files, 'settings.yaml': `redis: { url: "${inject('redisUrl')}", prefix: ${d.prefix} }\n${settings}` });
}

async function status(dir: string, json = false) {
  const saved = process.env.REDIS_URL;
  delete process.env.REDIS_URL;
  try {
    return await captureOutput(() => statusCommand({ config: dir, json }));
  } finally {
    if (saved !== undefined) process.env.REDIS_URL = saved;
  }
}

describe('newswatch status', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  async function servers(respond: number) {
    const feed = new FeedServer();
    feed.setItems([{ guid: 'st-1', title: 'Troops moved north', description: 'troops seen' }]);
    const feedUrl = await feed.start();
    const hook = new WebhookReceiver();
    hook.respond = () => respond;
    const hookUrl = await hook.start();
    cleanup.push(
      () => feed.stop(),
      () => hook.stop(),
    );
    return { feedUrl, hookUrl, hook };
  }

  it('is healthy (exit 0) while the daemon runs and delivers, and shows queues, feeds, alerts and rule hits', async () => {
    const { feedUrl, hookUrl, hook } = await servers(200);
    const files = {
      'feeds.yaml': `feeds:\n  - id: wire\n    url: ${feedUrl}\n`,
      'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n`,
      'rules/r.yaml': RULES,
    };
    const d = await startTestDaemon(files);
    cleanup.push(() => d.stop());
    await waitFor('the alert to be delivered', () => hook.accepted.length === 1, 20_000);
    const dir = cliConfig(d, files);
    await waitFor(
      'the delivery to be recorded',
      async () => (JSON.parse((await status(dir, true)).out) as StatusSnapshot).alerts.recent[0]?.deliveries.hook?.ok === true,
    );

    const json = await status(dir, true);
    expect(json.code).toBe(0);
    const snap = JSON.parse(json.out) as StatusSnapshot;
    expect(snap.health).toEqual({ status: 'healthy', reasons: [] });
    expect(snap.prefix).toBe(d.prefix);
    expect(snap.queues.map((q) => q.name)).toEqual(['fetch', 'articles', 'alerts', 'deliveries', 'digests']);
    for (const q of snap.queues) {
      expect(q.workers).toBeGreaterThan(0);
      expect(Object.keys(q.jobs)).toEqual(['waiting', 'active', 'delayed', 'failed']);
    }
    expect(snap.feeds.counts).toEqual({ ok: 1, failing: 0, 'never-fetched': 0, disabled: 0, gone: 0 });
    expect(snap.feeds.records[0]).toMatchObject({ id: 'wire', health: 'ok', itemsSeen: 1 });
    expect(snap.alerts.total).toBe(1);
    expect(snap.alerts.recent[0]).toMatchObject({
      ruleId: 'nk',
      title: 'Troops moved north',
      deliveries: { hook: { attempts: 1, ok: true } },
    });
    expect(snap.rules).toEqual([{ id: 'nk', name: 'NK troops', enabled: true, alerts: 1 }]);
    expect(snap.channels).toEqual([
      { id: 'hook', type: 'webhook', failingSince: null, lastError: null, unhealthy: false, disabledReason: null, buffered: 0 },
    ]);
    expect(snap.deliveries).toEqual({ failedJobs: 0, failing: [] });
    // The daemon reads the same snapshot through its own connection (the status page uses this).
    const own = await d.daemon.status();
    expect({ ...own, at: '' }).toEqual({ ...snap, at: '', redis: own.redis });

    const text = await status(dir);
    expect(text.code).toBe(0);
    expect(text.out.split('\n')[0]).toMatch(/^newswatch HEALTHY {2}\(Redis redis:\/\/127\.0\.0\.1:\d+, prefix test-[\w-]+, \S+\)$/);
    expect(text.out).toMatch(/\nQUEUE\s+WAITING\s+ACTIVE\s+DELAYED\s+FAILED\s+WORKERS\n/);
    expect(text.out).toContain('FEEDS  1: 1 ok, 0 failing, 0 gone, 0 never fetched, 0 disabled');
    expect(text.out).toMatch(/ALERTS {2}1 in the last 24h\n\s+(now|\d+s ago)\s+nk {2}Troops moved north {2}\[hook ok\]/);
    expect(text.out).toContain('RULES  1 configured, 1 alerted in the last 24h\n  nk  1');
  });

  it('is degraded (exit 1) with a feed past its failure threshold and a delivery that gave up, saying why', async () => {
    const { feedUrl, hookUrl, hook } = await servers(500);
    // Health notices (the broken feed) go to a receiver that accepts them, so only the alert fails.
    const ops = new WebhookReceiver();
    const opsUrl = await ops.start();
    cleanup.push(() => ops.stop());
    const files = {
      'feeds.yaml': `feeds:\n  - id: wire\n    url: ${feedUrl}\n  - id: broken\n    url: http://127.0.0.1:1/feed.xml\n`,
      'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n  - id: ops\n    type: webhook\n    url: ${opsUrl}\n`,
      'rules/r.yaml': RULES,
    };
    const settings = 'delivery: { retry_schedule: [] }\nhealth: { feed_failures: 1, channels: [ops] }\n';
    const d = await startTestDaemon(files, settings);
    cleanup.push(() => d.stop());
    const dir = cliConfig(d, files, settings);
    await waitFor(
      'the delivery to give up and the feed to fail',
      async () => {
        const snap = JSON.parse((await status(dir, true)).out) as StatusSnapshot;
        return snap.deliveries.failedJobs === 1 && snap.feeds.counts.failing === 1 && snap.alerts.recent[0]?.deliveries.hook?.ok === false;
      },
      20_000,
    );
    expect(hook.requests).toHaveLength(1);

    const json = await status(dir, true);
    expect(json.code).toBe(1);
    const snap = JSON.parse(json.out) as StatusSnapshot;
    expect(snap.health.status).toBe('degraded');
    expect(snap.health.reasons).toEqual([
      expect.stringMatching(/^feed broken failed 1 times in a row: .*ECONNREFUSED/),
      '1 deliveries failed after all retries (newswatch alerts replay --failed sends them again)',
    ]);
    expect(snap.deliveries.failing).toEqual([
      expect.objectContaining({ ruleId: 'nk', channelId: 'hook', attempts: 1, gaveUp: true, lastError: expect.stringContaining('500') }),
    ]);
    expect(snap.channels.map((c) => [c.id, c.failingSince !== null])).toEqual([
      ['hook', true],
      ['ops', false],
    ]);

    const text = await status(dir);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/^newswatch DEGRADED /);
    expect(text.out).toContain('  ! 1 deliveries failed after all retries');
    expect(text.out).toMatch(/\n {2}broken {2}failing 1x, last try (now|\d+s ago): .*ECONNREFUSED/);
    expect(text.out).toMatch(/\n {2}hook {2}nk {2}Troops moved north {2}GAVE UP after 1 attempt\(s\): .*500/);
  });

  it('exits 2 with a clear message when Redis does not answer', async () => {
    const port = await freePort();
    const dir = writeConfigDir({
      'settings.yaml': `redis: { url: "redis://127.0.0.1:${port}", prefix: test-${randomUUID()} }\n`,
      'feeds.yaml': 'feeds: []\n',
      'channels.yaml': 'channels: []\n',
    });
    const { code, out, err } = await status(dir);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`newswatch status: cannot reach Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED`);
  });
});
