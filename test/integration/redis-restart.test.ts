import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startDaemon } from '../../src/daemon/daemon.js';
import { writeConfigDir } from '../support/config-dir.js';
import { FeedServer } from '../support/feed-server.js';
import { freePort } from '../support/free-port.js';
import { spawnRedisServer } from '../support/redis-server.js';
import { Collector, listSource } from '../support/collector.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

let redis: ChildProcess | undefined;
afterAll(() => redis?.kill('SIGKILL'));

async function startRedis(port: number, dir: string): Promise<void> {
  redis = await spawnRedisServer(['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], port);
}

describe('Redis restarting under a running daemon', () => {
  it('reconnects, keeps its jobs and state, and alerts on what arrives afterwards exactly once', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-redis-'));
    await startRedis(port, dir);
    const feed = new FeedServer();
    feed.setItems([{ guid: 'before', title: 'Troops reach Kursk', description: 'troops' }]);
    const hook = new WebhookReceiver();
    const [feedUrl, hookUrl] = await Promise.all([feed.start(), hook.start()]);
    const logs: string[] = [];
    const daemon = await startDaemon({
      configDir: writeConfigDir({
        'feeds.yaml': `feeds:\n  - id: wire\n    url: ${feedUrl}\n    interval: 10s\n`,
        'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n`,
        'rules/r.yaml': 'rules:\n  - id: r\n    name: Troops\n    query: troops\n    channels: [hook]\n',
        'settings.yaml': 'delivery: { retry_schedule: [200ms, 500ms, 1s, 2s, 2s] }\n',
      }),
      log: pino(
        { level: process.env.NEWSWATCH_TEST_LOGS ? 'debug' : 'warn' },
        { write: (l: string) => void (logs.push(l), process.env.NEWSWATCH_TEST_LOGS && process.stderr.write(l)) },
      ),
      env: { REDIS_URL: `redis://127.0.0.1:${port}` },
      watchConfig: false,
      http: 'off',
    });
    try {
      await waitFor('the first alert', () => hook.accepted.length === 1, 15_000);
      const logsBeforeOutage = logs.length;
      redis!.kill('SIGTERM'); // a clean shutdown writes the AOF, as a restart would
      await new Promise((r) => redis!.once('exit', r));
      // A different story (not a copy of the first, which story dedup would rightly fold into it).
      const after = {
        guid: 'after',
        title: 'Parliament debates budget as troops rotate home from the border',
        description: 'Lawmakers argued over spending while troops returned.',
      };
      feed.setItems([after, { guid: 'before', title: 'Troops reach Kursk', description: 'troops' }]);
      // The outage lasts until the daemon has run into it, not for a fixed time.
      await waitFor(
        'the daemon to report Redis gone',
        () => logs.slice(logsBeforeOutage).some((l) => /Redis|queue fetch jobs/.test(l)),
        15_000,
      );
      const alerts = new Collector(
        'alerts after the restart',
        listSource(() => hook.accepted),
        (r) => JSON.parse(r.body).data.article.title as string,
      );
      await startRedis(port, dir);
      // Exactly one more alert, for the item published during the outage: a redelivery would follow within 1.5 s.
      await alerts.expectExactly([after.title], { withinMs: 30_000, quietMs: 1_500 });
      const titles = hook.accepted.map((r) => JSON.parse(r.body).data.article.title);
      expect(titles).toEqual(['Troops reach Kursk', 'Parliament debates budget as troops rotate home from the border']);
    } finally {
      await daemon.stop();
      await Promise.all([feed.stop(), hook.stop()]);
    }
  });
});
