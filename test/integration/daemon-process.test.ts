import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startDaemon } from '../../src/daemon/daemon.js';
import { writeConfigDir } from '../support/config-dir.js';
import { FeedServer } from '../support/feed-server.js';
import { freePort } from '../support/free-port.js';
import { runCli } from '../support/run-cli.js';
import { startTestDaemon } from '../support/test-daemon.js';
import { Collector, listSource } from '../support/collector.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const CHANNELS = 'channels:\n  - id: console\n    type: console\n';
const RULES = 'rules:\n  - id: nk\n    name: NK\n    query: troops\n    channels: [console]\n';

describe('the daemon as a process', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  it('starts with `newswatch start` and exits 0 within 10 s of SIGTERM', async () => {
    const feed = new FeedServer();
    const url = await feed.start();
    cleanup.push(() => feed.stop());
    const dir = writeConfigDir({
      'feeds.yaml': `feeds:\n  - id: wire\n    url: ${url}\n`,
      'channels.yaml': CHANNELS,
      'rules/r.yaml': RULES,
      'settings.yaml': 'redis: { prefix: test-process }\n',
    });
    const run = runCli(['start', '--config', dir], { REDIS_URL: inject('redisUrl') });
    cleanup.push(() => run.child.kill('SIGKILL'));
    await waitFor('the daemon to start and fetch', () => run.output().includes('"msg":"fetched"'), 20_000);
    const stoppedAt = Date.now();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(run.output()).toContain('"msg":"stopped"');
  });

  it('refuses an invalid config with exit 1 and the file and line', async () => {
    const dir = writeConfigDir({
      'feeds.yaml': 'feeds: []\n',
      'channels.yaml': CHANNELS,
      'rules/r.yaml': RULES.replace('[console]', '[consol]'),
    });
    const run = runCli(['start', '--config', dir], { REDIS_URL: inject('redisUrl') });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('rules/r.yaml:5 rules[0].channels[0]: unknown channel \\"consol\\"');
  });

  it('starts and stops a managed redis-server (AOF on, lazy expiry) when nothing answers and no URL is set', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'newswatch-data-'));
    const dir = writeConfigDir({ 'feeds.yaml': 'feeds: []\n', 'channels.yaml': CHANNELS, 'rules/r.yaml': RULES });
    const daemon = await startDaemon({
      configDir: dir,
      log: pino({ level: 'silent' }),
      env: {},
      defaultRedisUrl: `redis://127.0.0.1:${port}`,
      dataDir,
      watchConfig: false,
      http: 'off',
    });
    const url = daemon.redis.kind === 'url' ? daemon.redis.url : '';
    expect(url).toBe(`redis://127.0.0.1:${port}`);
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    await probe.connect();
    expect(await probe.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await probe.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await probe.config('GET', 'lazyfree-lazy-expire')).toEqual(['lazyfree-lazy-expire', 'yes']);
    probe.disconnect();
    await daemon.stop();
    expect(existsSync(join(dataDir, 'redis'))).toBe(true);
    const after = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    after.on('error', () => {});
    await expect(after.connect()).rejects.toThrow();
    after.disconnect();
  });

  it('delivers exactly once after a worker is killed with -9 mid-delivery', async () => {
    const feed = new FeedServer();
    feed.setItems([{ guid: 'kill-1', title: 'Troops moved', description: 'troops' }]);
    const feedUrl = await feed.start();
    const hook = new WebhookReceiver();
    hook.respond = ({ attempt }) => (attempt === 1 ? 0 : 200); // the first attempt hangs until the process dies
    const hookUrl = await hook.start();
    cleanup.push(
      () => feed.stop(),
      () => hook.stop(),
    );
    const files = {
      'feeds.yaml': `feeds:\n  - id: wire\n    url: ${feedUrl}\n`,
      'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n`,
      'rules/r.yaml': RULES.replace('[console]', '[hook]'),
    };
    const workers = 'workers: { lock_duration: 2s, stalled_interval: 1s }\ndelivery: { timeout: 60s }\n';
    const first = await startTestDaemon(files, workers);
    const dir = first.dir;
    await first.stop(); // only to get a config dir and prefix; the process below does the work
    const run = runCli(['start', '--config', dir], { REDIS_URL: inject('redisUrl') });
    cleanup.push(() => run.child.kill('SIGKILL'));
    await waitFor('the hung delivery attempt', () => hook.requests.length === 1, 20_000);
    run.child.kill('SIGKILL');
    await run.exited;

    const accepted = new Collector(
      'accepted deliveries',
      listSource(() => hook.accepted, 0),
      (r) => String(r.headers['webhook-id']),
    );
    const second = await startDaemon({
      configDir: dir,
      log: pino({ level: 'silent' }),
      env: { REDIS_URL: inject('redisUrl') },
      http: 'off',
    });
    cleanup.push(() => second.stop());
    // The stalled job is picked up again and delivered once; a second copy would come within a lock (2 s).
    await accepted.expectExactly([String(hook.requests[0]!.headers['webhook-id'])], { withinMs: 20_000, quietMs: 2_000 });
    expect(hook.requests.map((r) => r.headers['webhook-id'])).toEqual([
      hook.requests[0]!.headers['webhook-id'],
      hook.requests[0]!.headers['webhook-id'],
    ]);
  });
});
