import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startDaemon } from '../../src/daemon/daemon.js';
import { writeConfigDir } from '../support/config-dir.js';
import { FeedServer } from '../support/feed-server.js';
import { freePort } from '../support/free-port.js';
import { spawnRedisServer } from '../support/redis-server.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

async function redisServer(args: string[], port: number): Promise<void> {
  children.push(await spawnRedisServer(args, port));
}

/** Feed -> rules -> webhook through a daemon whose Redis is described by `redisSettings`. */
async function alertArrivesThrough(redisSettings: string): Promise<void> {
  const feed = new FeedServer();
  feed.setItems([{ guid: 'topology-1', title: 'Troops arrive in Kursk', description: 'North Korean troops arrived.' }]);
  const hook = new WebhookReceiver();
  const [feedUrl, hookUrl] = await Promise.all([feed.start(), hook.start()]);
  const dir = writeConfigDir({
    'settings.yaml': redisSettings,
    'feeds.yaml': `feeds:\n  - id: wire\n    url: ${feedUrl}\n`,
    'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n`,
    'rules/r.yaml': 'rules:\n  - id: r\n    name: Troops\n    query: troops AND kursk\n    channels: [hook]\n',
  });
  const daemon = await startDaemon({
    configDir: dir,
    log: pino({ level: process.env.NEWSWATCH_TEST_LOGS ? 'debug' : 'silent' }),
    env: {},
    watchConfig: false,
    http: 'off',
  });
  try {
    await waitFor('the alert', () => hook.accepted.length === 1, 20_000);
    expect(JSON.parse(hook.accepted[0]!.body).data.article.title).toBe('Troops arrive in Kursk');
  } finally {
    await daemon.stop();
    await Promise.all([feed.stop(), hook.stop()]);
  }
}

describe('Redis topologies beyond one server', () => {
  it('runs the pipeline against a primary found through Redis Sentinel', async () => {
    const [primary, sentinel] = [await freePort(), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-sentinel-'));
    await redisServer(['--port', String(primary), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], primary);
    writeFileSync(join(dir, 'sentinel.conf'), `port ${sentinel}\nbind 127.0.0.1\nsentinel monitor mymaster 127.0.0.1 ${primary} 1\n`);
    await redisServer([join(dir, 'sentinel.conf'), '--sentinel'], sentinel);
    await alertArrivesThrough(`redis:\n  sentinels: [{ host: 127.0.0.1, port: ${sentinel} }]\n  name: mymaster\n  prefix: sentinel-test\n`);
  });

  it('runs the pipeline against a Redis Cluster with a hash-tagged prefix', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-cluster-'));
    await redisServer(
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-announce-ip',
        '127.0.0.1',
        '--cluster-config-file',
        join(dir, 'nodes.conf'),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      port,
    );
    const admin = new Redis(port, '127.0.0.1');
    await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    await waitFor('cluster_state:ok', async () => String(await admin.call('CLUSTER', 'INFO')).includes('cluster_state:ok'), 10_000);
    admin.disconnect();
    await alertArrivesThrough(`redis:\n  cluster: [{ host: 127.0.0.1, port: ${port} }]\n  prefix: '{nw}'\n`);
  });
});
