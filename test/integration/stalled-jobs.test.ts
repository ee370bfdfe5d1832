import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import { createQueues, closeQueues, jobIds } from '../../src/queues/queues.js';
import { writeConfigDir } from '../support/config-dir.js';
import { troopsArticle } from '../support/troops-article.js';
import { waitFor } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const REPO = resolve(import.meta.dirname, '../..');
/** Three process starts (tsx) and two lock expiries: slow on a loaded two-core machine. */
const PROCESS_TEST_TIMEOUT = 180_000;

function run(script: string, args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO, script), ...args], {
    cwd: REPO,
    env: { ...process.env, REDIS_URL: inject('redisUrl') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

const ARTICLE = troopsArticle('kursk-1', 'Troops sent to Kursk');

/**
 * "Kill the process holding the same article job twice": a process takes the article job and is
 * killed with -9, twice; then the daemon runs. With BullMQ's default (maxStalledCount 1) the job was
 * failed on the second stall, silently, and its alert lost.
 */
describe('an article job whose worker dies twice', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  async function killHolderTwice(maxStalled: number) {
    const hook = new WebhookReceiver();
    const hookUrl = await hook.start();
    cleanup.push(() => hook.stop());
    const prefix = `test-${Date.now()}-${maxStalled}`;
    const dir = writeConfigDir({
      'feeds.yaml': 'feeds:\n  - id: wire\n    url: http://127.0.0.1:1/feed.xml\n    enabled: false\n',
      'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n`,
      'rules/r.yaml': 'rules:\n  - id: nk\n    name: NK\n    query: troops\n    channels: [hook]\n',
      'settings.yaml': `redis: { prefix: ${prefix} }\nworkers: { lock_duration: 1s, stalled_interval: 1s, max_stalled: ${maxStalled} }\n`,
    });
    const redis = new Redis(inject('redisUrl'));
    const queues = createQueues(redis, prefix);
    cleanup.push(async () => (await closeQueues(queues), redis.disconnect()));
    await queues.articles.add('article', { article: ARTICLE }, { jobId: jobIds.article(ARTICLE.id) });
    for (let kill = 1; kill <= 2; kill++) {
      const holder = run('test/support/job-holder.ts', [dir, 'articles']);
      cleanup.push(() => holder.child.kill('SIGKILL'));
      await waitFor(`holder ${kill} to take the article job`, () => holder.output().includes('holding article-kursk-1'), 60_000);
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
    const logs: string[] = [];
    const daemon: Daemon = await startDaemon({
      configDir: dir,
      roles: ['match', 'deliver'],
      log: pino({ level: 'info' }, { write: (l: string) => void logs.push(l) }),
      env: { REDIS_URL: inject('redisUrl') },
      watchConfig: false,
      http: 'off',
    });
    cleanup.push(() => daemon.stop());
    const article = (await queues.articles.getJob(jobIds.article(ARTICLE.id)))!;
    return { hook, dir, queues, logs, article };
  }

  /** Waits until nothing is left to run: the article job finished (as asked) and no alert or delivery job is pending. */
  async function settled(queues: ReturnType<typeof createQueues>, state: 'completed' | 'failed') {
    await waitFor(
      `the article job to be ${state}`,
      async () => (await queues.articles.getJobState(jobIds.article(ARTICLE.id))) === state,
      60_000,
    );
    await waitFor(
      'alerts and deliveries to finish',
      async () => {
        const counts = await Promise.all([
          queues.alerts.getJobCounts('waiting', 'active', 'delayed'),
          queues.deliveries.getJobCounts('waiting', 'active', 'delayed'),
        ]);
        return counts.every((c) => Object.values(c).every((n) => n === 0));
      },
      60_000,
    );
  }

  it(
    'still alerts, exactly once, with the shipped stall limit',
    async () => {
      const { hook, queues } = await killHolderTwice(5);
      await settled(queues, 'completed');
      expect(hook.accepted).toHaveLength(1);
      expect(JSON.parse(hook.accepted[0]!.body)).toMatchObject({ type: 'alert.matched', data: { alert: { id: 'alert-nk-kursk-1' } } });
    },
    PROCESS_TEST_TIMEOUT,
  );

  it(
    'when a job stalls past the limit: logs it, and `newswatch jobs retry` runs it again, alerting once',
    async () => {
      const { hook, dir, queues, logs } = await killHolderTwice(1);
      await settled(queues, 'failed');
      expect(hook.requests).toHaveLength(0);
      const line = logs.map((l) => JSON.parse(l)).find((l) => l.msg.startsWith('job failed for good'));
      expect(line).toMatchObject({
        level: 50,
        queue: 'articles',
        jobId: 'article-kursk-1',
        articleId: 'kursk-1',
        reason: 'job stalled more than allowable limit',
      });
      expect(line.msg).toContain('newswatch jobs retry --queue articles');

      const retry = run('src/cli/main.ts', ['jobs', 'retry', '--queue', 'articles', '--config', dir]);
      expect(await retry.exited).toBe(0);
      expect(retry.output()).toContain('1 failed job(s) of articles queued again');
      await settled(queues, 'completed');
      expect(hook.accepted).toHaveLength(1);
    },
    PROCESS_TEST_TIMEOUT,
  );
});
