import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { chooseQueues, failedJobLine } from '../../../src/cli/jobs.js';
import { describeFailure, isFinalFailure, jobSubject } from '../../../src/queues/failed-jobs.js';
import { jobLockOptions } from '../../../src/queues/job-locks.js';
import { settingsSchema } from '../../../src/config/schema.js';
import { NewswatchMetrics } from '../../../src/metrics/metrics.js';

describe('failed jobs', () => {
  it('calls a failure final when no attempt is left, when it is unrecoverable, or when BullMQ gave up on a stalling job', () => {
    expect(isFinalFailure(3, 12, new Error('ECONNRESET'))).toBe(false);
    expect(isFinalFailure(12, 12, new Error('ECONNRESET'))).toBe(true);
    expect(isFinalFailure(1, undefined, new Error('boom'))).toBe(true);
    expect(isFinalFailure(1, 12, new UnrecoverableError('channel "x" is disabled'))).toBe(true);
    expect(isFinalFailure(0, 12, new Error('job stalled more than allowable limit'))).toBe(true);
  });

  it('describes a failed attempt with the queue, the job and the reason', () => {
    expect(describeFailure('articles', { id: 'article-a1', attemptsMade: 2, opts: { attempts: 12 } }, new Error('READONLY'))).toEqual({
      queue: 'articles',
      jobId: 'article-a1',
      reason: 'READONLY',
      attemptsMade: 2,
      final: false,
    });
  });

  it("names each queue's subject in log lines", () => {
    expect(jobSubject('articles', { article: { id: 'a1', feedId: 'wire' } })).toEqual({ articleId: 'a1', feedId: 'wire' });
    const batch = {
      articles: [
        { id: 'a1', feedId: 'wire' },
        { id: 'a2', feedId: 'wire' },
      ],
    };
    expect(jobSubject('articles', batch)).toEqual({ feedId: 'wire', articleIds: ['a1', 'a2'] });
    expect(jobSubject('alerts', { alertId: 'alert-r-a1', rule: { id: 'r' } })).toEqual({ alertId: 'alert-r-a1', ruleId: 'r' });
    expect(jobSubject('deliveries', { deliveryId: 'd', channelId: 'hook', message: {} })).toEqual({ deliveryId: 'd', channelId: 'hook' });
    expect(jobSubject('fetch', { feedId: 'wire', slot: 0 })).toEqual({ feedId: 'wire' });
    expect(jobSubject('elsewhere', {})).toEqual({});
  });

  it('lists a failed batch of articles with the ids of its articles, which its job id does not name', () => {
    const failed = { failedAt: '2026-12-01T04:00:00.000Z', queue: 'articles', attempts: 12, reason: 'READONLY' };
    expect(failedJobLine({ ...failed, jobId: 'article-a9', ...jobSubject('articles', { article: { id: 'a9', feedId: 'wire' } }) })).toBe(
      '2026-12-01T04:00:00.000Z  articles  article-a9  (12 attempt(s)): READONLY\n',
    );
    const batch = {
      articles: [
        { id: 'a1', feedId: 'wire' },
        { id: 'a2', feedId: 'wire' },
      ],
    };
    expect(failedJobLine({ ...failed, jobId: 'articles-wire-x', ...jobSubject('articles', batch) })).toBe(
      '2026-12-01T04:00:00.000Z  articles  articles-wire-x  (12 attempt(s)): READONLY\n    articles: a1 a2\n',
    );
  });

  it('retries the queues that carry alerts by default, and refuses unknown queue names', () => {
    expect(chooseQueues(undefined)).toEqual(['articles', 'alerts', 'deliveries', 'digests']);
    expect(chooseQueues(['alerts', 'alerts', 'fetch'])).toEqual(['alerts', 'fetch']);
    expect(chooseQueues(['article'])).toBe('unknown queue "article"; queues: fetch, articles, alerts, deliveries, digests');
  });

  it('gives every worker the same lock and stall settings, with a deliberate stall limit', () => {
    const { workers } = settingsSchema.parse({});
    expect(jobLockOptions(workers)).toEqual({ lockDuration: 30_000, stalledInterval: 30_000, maxStalledCount: 5 });
    expect(jobLockOptions(settingsSchema.parse({ workers: { lock_duration: '2s', max_stalled: 0 } }).workers)).toMatchObject({
      lockDuration: 2_000,
      maxStalledCount: 0,
    });
  });

  it('counts failed attempts per queue, final or not', async () => {
    const metrics = new NewswatchMetrics({ version: 'test' });
    metrics.jobFailed('articles', false);
    metrics.jobFailed('articles', true);
    metrics.jobFailed('articles', true);
    const text = await metrics.exposition();
    expect(text).toContain('newswatch_jobs_failed_total{queue="articles",final="true"} 2');
    expect(text).toContain('newswatch_jobs_failed_total{queue="articles",final="false"} 1');
  });
});
