import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import { probeRedis } from '../../src/queues/connection.js';
import { StartAbortedError } from '../../src/queues/redis-startup.js';
import { writeConfigDir } from '../support/config-dir.js';
import { freePort } from '../support/free-port.js';
import { spawnRedisServer } from '../support/redis-server.js';
import { runCli } from '../support/run-cli.js';
import { waitFor } from '../support/wait.js';

const FILES = {
  'feeds.yaml': 'feeds: []\n',
  'channels.yaml': 'channels:\n  - id: console\n    type: console\n',
  'rules/r.yaml': 'rules:\n  - id: nk\n    name: NK\n    query: troops\n    channels: [console]\n',
};

/** A redis-server of the test's own, to stop and start again on the same port. */
const redisServer = (port: number) =>
  spawnRedisServer(['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], port);

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

function capturedLogger() {
  const lines: LogLine[] = [];
  return { lines, log: pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l) as LogLine) }) };
}

const WARN = 40;

describe('Redis at start-up and while running', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  it('waits for a configured Redis that is down with one warning, starts once it answers, and reports an outage in two lines', {
    timeout: 90_000,
  }, async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const dir = writeConfigDir({ ...FILES, 'settings.yaml': `redis: { prefix: test-wait-${port} }\n` });
    const { lines, log } = capturedLogger();
    let daemon: Daemon | undefined;
    const starting = startDaemon({ configDir: dir, log, env: { REDIS_URL: url }, watchConfig: false, http: 'off' }).then(
      (d) => (daemon = d),
    );

    // Three failed probes (about 3 s down) before Redis appears: the wait must stay quiet meanwhile.
    await waitFor('three failed probes', () => lines.filter((l) => l.msg === 'Redis probe failed').length >= 3, 20_000);
    let redis = await redisServer(port);
    // The daemon stops first, while Redis still answers; then Redis.
    cleanup.push(async () => {
      await (await starting.catch(() => undefined))?.stop();
      await stopRedis(redis);
    });
    await starting;
    expect(daemon).toBeDefined();
    const startedAt = lines.findIndex((l) => l.msg === 'newswatch started');
    const beforeStart = lines.slice(0, startedAt);
    expect(beforeStart.filter((l) => l.msg.startsWith('using '))).toEqual([expect.objectContaining({ msg: `using REDIS_URL ${url}` })]);
    expect(beforeStart.filter((l) => l.level >= WARN)).toEqual([
      expect.objectContaining({
        msg: expect.stringMatching(
          new RegExp(`^Redis at ${url} is not answering \\(.*ECONNREFUSED.*\\): waiting for it; newswatch starts once it answers$`),
        ),
      }),
    ]);
    expect(beforeStart.map((l) => l.msg)).toContainEqual(
      expect.stringMatching(new RegExp(`^Redis at ${url} answers after \\d+s: starting$`)),
    );

    // While running: Redis goes away, several reconnect attempts fail on every connection, it comes back.
    const outageStart = lines.length;
    await stopRedis(redis);
    await waitFor('the outage to be noticed', () => lines.slice(outageStart).some((l) => l.msg.startsWith('lost the connection')), 10_000);
    await waitFor(
      'several failed reconnects',
      () => lines.slice(outageStart).filter((l) => l.msg === 'Redis connection error').length >= 5,
      20_000,
    );
    redis = await redisServer(port);
    await waitFor('Redis to be back', () => lines.slice(outageStart).some((l) => l.msg.includes('is back after')), 20_000);
    const outage = lines.slice(outageStart);
    expect(outage.filter((l) => l.level >= WARN)).toEqual([
      expect.objectContaining({
        msg: expect.stringMatching(new RegExp(`^lost the connection to Redis at ${url} \\(.+\\): waiting for it to come back$`)),
      }),
    ]);
    expect(outage.filter((l) => l.msg === 'worker error')).toEqual([]);
    expect(outage.find((l) => l.msg.includes('is back after'))!.msg).toMatch(new RegExp(`^Redis at ${url} is back after \\d+s$`));
  });

  it('ends the wait for Redis when asked to stop, without starting anything', async () => {
    const port = await freePort();
    const dir = writeConfigDir({ ...FILES, 'settings.yaml': 'redis: { managed: never }\n' });
    const { lines, log } = capturedLogger();
    const stop = new AbortController();
    const starting = startDaemon({
      configDir: dir,
      log,
      env: {},
      defaultRedisUrl: `redis://127.0.0.1:${port}`,
      watchConfig: false,
      signal: stop.signal,
      http: 'off',
    });
    await waitFor(
      'the wait to begin',
      () => lines.some((l) => l.msg.startsWith(`Redis at redis://127.0.0.1:${port} is not answering`)),
      10_000,
    );
    expect(lines.filter((l) => l.msg.startsWith('using '))).toEqual([
      expect.objectContaining({ msg: `using the Redis on 127.0.0.1:${port} (redis.managed: never)` }),
    ]);
    stop.abort();
    await expect(starting).rejects.toBeInstanceOf(StartAbortedError);
    expect(lines.some((l) => l.msg === 'newswatch started')).toBe(false);
  });

  it('uses a Redis already on the default address without starting one', async () => {
    const port = await freePort();
    const redis = await redisServer(port);
    cleanup.push(() => stopRedis(redis));
    const { lines, log } = capturedLogger();
    const daemon = await startDaemon({
      configDir: writeConfigDir(FILES),
      log,
      env: {},
      defaultRedisUrl: `redis://127.0.0.1:${port}`,
      watchConfig: false,
      http: 'off',
    });
    cleanup.push(() => daemon.stop());
    expect(lines.filter((l) => l.msg.startsWith('using '))).toEqual([
      expect.objectContaining({ msg: `using the Redis already on 127.0.0.1:${port}` }),
    ]);
    expect(daemon.redis).toEqual({ kind: 'url', url: `redis://127.0.0.1:${port}` });
  });

  it('SIGTERM, SIGINT and SIGHUP never leave a managed redis-server behind', { timeout: 180_000 }, async () => {
    for (const signals of [['SIGTERM'], ['SIGHUP', 'SIGINT']] as const) {
      const port = await freePort();
      const url = `redis://127.0.0.1:${port}`;
      const dataDir = mkdtempSync(join(tmpdir(), 'newswatch-data-'));
      const dir = writeConfigDir({ ...FILES, 'settings.yaml': `redis: { url: "${url}", managed: always }\n` });
      // The child runs in a scratch directory: its ./data is the managed Redis's home.
      const { child, output, exited } = runCli(['start', '--config', dir, '--http', '127.0.0.1:0'], { REDIS_URL: '' }, { cwd: dataDir });
      cleanup.push(() => child.kill('SIGKILL'));
      await waitFor('the daemon to start', () => output().includes('"msg":"newswatch started"'), 60_000);
      expect(output()).toContain('"msg":"started a managed redis-server in ./data/redis');
      expect(await probeRedis({ kind: 'url', url })).toBeUndefined();
      for (const signal of signals) {
        child.kill(signal);
        if (signal === 'SIGHUP') await waitFor('the SIGHUP reload', () => output().includes('"trigger":"signal"'), 15_000);
      }
      expect(await exited).toBe(0);
      expect(await probeRedis({ kind: 'url', url })).toMatch(/ECONNREFUSED/);
    }
  });
});
