import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { ChannelRegistry } from '../../src/alerts/channels/index.js';
import { planRoute } from '../../src/dispatch/route.js';
import type { DeliveryJob } from '../../src/queues/queues.js';
import type { AlertJob } from '../../src/alerts/alert.js';
import { AlertHistory } from '../../src/state/alert-history.js';
import { stateKeys } from '../../src/state/keys.js';
import { Pacing } from '../../src/state/pacing.js';
import { processDelivery } from '../../src/workers/deliver-worker.js';
import { processArticle } from '../../src/workers/match-worker.js';
import { jobOf, testPipeline, type TestPipeline } from '../support/test-pipeline.js';
import { troopsArticle } from '../support/troops-article.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * Each test puts a failure between two related writes of one step, as a crash or a Redis error would,
 * then retries the step as BullMQ would, and checks that the retry neither loses nor repeats anything.
 */
const now = new Date().toISOString();

/** The alert of rule nk on the troops article `articleId`, for `channel`. */
const alertOf = (articleId: string, channel = 'c'): AlertJob => ({
  alertId: `alert-nk-${articleId}`,
  event: 'alert.matched',
  rule: { id: 'nk', name: 'NK', severity: 'medium', labels: {} },
  channels: [channel],
  article: troopsArticle(articleId),
  match: { ruleId: 'nk', matched: ['troops'], terms: [], snippet: '' },
  matchedAt: now,
});

/** The ledger's first `record` fails, as when Redis goes away after the match job handed on its alerts. */
function failFirstLedgerRecord(p: TestPipeline): void {
  const ledger = p.ctx.state.alertLedger;
  const record = ledger.record.bind(ledger);
  let failures = 1;
  ledger.record = async (...args) => {
    if (failures-- > 0) throw new Error('injected: Redis went away after the alert was handed on');
    return record(...args);
  };
}

describe('crash windows between related writes', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  const pipeline = (channels: string, rules = '') => {
    const p: TestPipeline = testPipeline({
      'feeds.yaml': 'feeds: []\n',
      'channels.yaml': channels,
      ...(rules ? { 'rules/r.yaml': rules } : {}),
    });
    open.push(p);
    return p;
  };

  it.each([
    ['queues', 'queue', 'alerts', 'alert-nk-a1'],
    ['dispatches', 'dispatch', 'deliveries', 'alert-nk-a1-to-c'],
  ] as const)('writes the alert history once when a match job is retried after it %s its alert', async (_, handoff, queue, jobId) => {
    const p = pipeline(
      'channels:\n  - id: c\n    type: console\n',
      'rules:\n  - id: nk\n    name: NK\n    query: troops\n    channels: [c]\n',
    );
    failFirstLedgerRecord(p);
    const job = jobOf({ article: troopsArticle('a1') }, 'article-a1');
    await expect(processArticle(job, p.ctx, handoff)).rejects.toThrow('injected');
    expect(await processArticle(job, p.ctx, handoff)).toEqual({ alerts: 1 });
    // Fetched again later (its seen entry gone): the ledger answers.
    expect(await processArticle(jobOf({ article: troopsArticle('a1') }), p.ctx, handoff)).toEqual({ alerts: 0 });

    const jobs = await p.ctx.queues[queue].getJobs(['waiting']);
    expect(jobs.map((j) => j.id)).toEqual([jobId]);
    const history = await new AlertHistory(p.redis, stateKeys(p.ctx.prefix), 100).since(0);
    expect(history.filter((e) => e.event === 'alert').map((e) => e.event === 'alert' && e.alertId)).toEqual(['alert-nk-a1']);
  });

  it('counts an alert against a throttle once when a match job is retried after dispatching it', async () => {
    const p = pipeline(
      'channels:\n  - id: c\n    type: console\n    throttle: { max: 2, per: 1h }\n',
      'rules:\n  - id: nk\n    name: NK\n    query: troops\n    channels: [c]\n',
    );
    failFirstLedgerRecord(p);
    const job = jobOf({ article: troopsArticle('a1') }, 'article-a1');
    await expect(processArticle(job, p.ctx, 'dispatch')).rejects.toThrow('injected');
    expect(await processArticle(job, p.ctx, 'dispatch')).toEqual({ alerts: 1 });
    // a1 took one of the window's two places, not two: a2 is sent, a3 waits for the digest (each its own story).
    const other = (id: string, words: string) => ({ ...troopsArticle(id, `Troops ${words}`), summary: words, content: words });
    for (const a of [other('a2', 'crossed the northern river at dawn'), other('a3', 'parliament budget vote delayed again')])
      expect(await processArticle(jobOf({ article: a }), p.ctx, 'dispatch')).toEqual({ alerts: 1 });
    const deliveries = await p.ctx.queues.deliveries.getJobs(['waiting']);
    expect(deliveries.map((j) => j.id).sort()).toEqual(['alert-nk-a1-to-c', 'alert-nk-a2-to-c']);
    expect(await p.ctx.state.pacing.buffered('c')).toBe(1);
  });

  it('counts an alert against a throttle only when its route is stored, so a retry still sends it', async () => {
    const p = pipeline('channels:\n  - id: c\n    type: console\n    throttle: { max: 1, per: 1h }\n');
    const channel = p.ctx.config().channels[0]!;
    const plan = planRoute(channel, { id: 'nk', throttle: undefined }, new Date());
    // A connection that may count but not store routes: the step fails between the two writes.
    const user = `test-${randomUUID()}`;
    await p.redis.call(
      'ACL',
      'SETUSER',
      user,
      'on',
      '>pw',
      'resetkeys',
      `~${p.ctx.prefix}:throttle:*`,
      `~${p.ctx.prefix}:digest:*`,
      `%R~${p.ctx.prefix}:routes:*`,
      '&*',
      '+@all',
    );
    const limited = new Redis(inject('redisUrl'), { username: user, password: 'pw' });
    open.push({ close: async () => void (limited.disconnect(), await p.redis.call('ACL', 'DELUSER', user)) });
    await expect(new Pacing(limited, stateKeys(p.ctx.prefix)).route(alertOf('a1'), 'c', 'd1', plan)).rejects.toThrow(/NOPERM/);

    expect(await p.ctx.state.pacing.route(alertOf('a1'), 'c', 'd1', plan)).toEqual({ action: 'send' });
    expect(await p.ctx.state.pacing.route(alertOf('a1'), 'c', 'd1', plan)).toEqual({ action: 'send' });
    expect(await p.ctx.state.pacing.route(alertOf('a2'), 'c', 'd2', plan)).toEqual({ action: 'buffer', reason: 'throttle' });
  });

  it('does not fail (and so resend) a delivery whose receiver has it when recording it fails', async () => {
    const hook = new WebhookReceiver();
    const url = await hook.start();
    open.push({ close: () => hook.stop() });
    const p = pipeline(`channels:\n  - id: hook\n    type: webhook\n    url: ${url}\n`);
    const registry = new ChannelRegistry(p.ctx.config().channels, { timeoutMs: 2_000 });
    p.ctx.channels = () => registry;
    open.push({ close: () => registry.close() });
    // The history key holds a string: every XADD to it fails with WRONGTYPE, a real Redis error.
    await p.redis.set(stateKeys(p.ctx.prefix).history(), 'not a stream');
    const alert = alertOf('a1', 'hook');
    const delivery: DeliveryJob = { message: { kind: 'alert', alert }, channelId: 'hook', deliveryId: 'alert-nk-a1-to-hook' };
    await expect(processDelivery(jobOf(delivery), p.ctx)).resolves.toBeUndefined();
    expect(hook.accepted).toHaveLength(1);
    expect(p.logs.some((l) => l.msg.includes('delivered, but recording it failed') && String(l.err).includes('WRONGTYPE'))).toBe(true);
  });

  it("still announces a channel's recovery when recording its delivery fails", async () => {
    const hook = new WebhookReceiver();
    const url = await hook.start();
    open.push({ close: () => hook.stop() });
    // `ops` receives health notices about `hook`.
    const p = pipeline(
      `channels:\n  - id: hook\n    type: webhook\n    url: ${url}\n  - id: ops\n    type: webhook\n    url: ${url}/ops\n`,
    );
    const registry = new ChannelRegistry(p.ctx.config().channels, { timeoutMs: 2_000 });
    p.ctx.channels = () => registry;
    open.push({ close: () => registry.close() });
    expect(await p.ctx.state.channelHealth.recordFailure('hook', 'HTTP 503', 0)).toBe(true);
    await p.redis.set(stateKeys(p.ctx.prefix).history(), 'not a stream');
    const alert = alertOf('a2', 'hook');
    const delivery: DeliveryJob = { message: { kind: 'alert', alert }, channelId: 'hook', deliveryId: 'alert-nk-a2-to-hook' };
    await expect(processDelivery(jobOf(delivery), p.ctx)).resolves.toBeUndefined();
    // The success cleared `unhealthy`: this delivery is the only one that can announce the recovery.
    expect((await p.ctx.state.channelHealth.get('hook')).unhealthy).toBe(false);
    const queued = await p.ctx.queues.deliveries.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(queued.map((j) => [j.data.channelId, j.data.message.kind === 'notice' && j.data.message.notice.type])).toEqual([
      ['ops', 'channel.recovered'],
    ]);
  });
});
