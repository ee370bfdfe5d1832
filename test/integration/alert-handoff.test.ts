import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startDaemon, type Role } from '../../src/daemon/daemon.js';
import { closeQueues, createQueues, jobIds } from '../../src/queues/queues.js';
import { Collector, listSource } from '../support/collector.js';
import { writeConfigDir } from '../support/config-dir.js';
import { troopsArticle } from '../support/troops-article.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ARTICLE = troopsArticle('kursk-1', 'Troops sent to Kursk');

/**
 * A process with both the match and the deliver role routes an alert in the match job; a match-only
 * process hands it to a deliver process through the alerts queue. Either way it arrives once.
 */
describe('how a match job hands on its alert', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  async function run(processes: Role[][]) {
    const hook = new WebhookReceiver();
    const hookUrl = await hook.start();
    cleanup.push(() => hook.stop());
    const prefix = `test-${randomUUID()}`;
    const dir = writeConfigDir({
      'feeds.yaml': 'feeds:\n  - id: wire\n    url: http://127.0.0.1:1/feed.xml\n    enabled: false\n',
      'channels.yaml': `channels:\n  - id: hook\n    type: webhook\n    url: ${hookUrl}\n`,
      'rules/r.yaml': 'rules:\n  - id: nk\n    name: NK\n    query: troops\n    channels: [hook]\n',
      'settings.yaml': `redis: { prefix: ${prefix} }\n`,
    });
    const redis = new Redis(inject('redisUrl'));
    const queues = createQueues(redis, prefix);
    cleanup.push(async () => (await closeQueues(queues), redis.disconnect()));
    for (const roles of processes) {
      const daemon = await startDaemon({
        configDir: dir,
        roles,
        log: pino({ level: 'silent' }),
        env: { REDIS_URL: inject('redisUrl') },
        watchConfig: false,
        http: 'off',
      });
      cleanup.push(() => daemon.stop());
    }
    const arrivals = new Collector(
      'webhook deliveries',
      listSource(() => hook.accepted),
      (r) => String(r.headers['webhook-id']),
    );
    await queues.articles.add('article', { article: ARTICLE }, { jobId: jobIds.article(ARTICLE.id) });
    await arrivals.expectExactly(['alert-nk-kursk-1-to-hook'], { withinMs: 30_000, quietMs: 1_000 });
    return { queues };
  }

  it('routes the alert in the match job when the process also delivers: no alerts job', async () => {
    const { queues } = await run([['match', 'deliver']]);
    expect(await queues.alerts.getJob(jobIds.alert('nk', ARTICLE.id))).toBeUndefined();
  });

  it('queues the alert for a deliver process when the match process does not deliver', async () => {
    const { queues } = await run([['match'], ['deliver']]);
    expect(await queues.alerts.getJobState(jobIds.alert('nk', ARTICLE.id))).toBe('completed');
  });
});
