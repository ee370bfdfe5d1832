import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { CompiledRuleSet } from '../../src/rules/compile.js';
import { Vocabulary } from '../../src/rules/vocabulary.js';
import type { PipelineContext } from '../../src/pipeline/context.js';
import { articleJob, matchJobs, QUEUE_NAMES, type MatchJob } from '../../src/queues/queues.js';
import { createMatchWorker, processArticle, processMatchJob } from '../../src/workers/match-worker.js';
import { matcher, stackExhausting } from '../unit/rules/broken-matcher.js';
import { jobOf, testPipeline, type TestPipeline } from '../support/test-pipeline.js';
import { waitFor } from '../support/wait.js';

const RULES = `rules:
  - id: broken
    name: Broken
    query: troops
    channels: [console]
  - id: fine
    name: Fine
    query: troops
    channels: [console]
`;

function article(id: string): Article {
  const now = new Date().toISOString();
  return {
    id,
    feedId: 'wire',
    title: `troops ${id}`,
    link: `https://example.com/${id}`,
    summary: '',
    content: '',
    author: '',
    categories: [],
    published: now,
    fetchedAt: now,
  };
}

describe('match worker', () => {
  let pipeline: TestPipeline | undefined;
  /** Workers and their connections, closed before the pipeline. */
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
    await pipeline?.close();
  });

  it('alerts for every other rule when one rule throws, logs the broken rule once and counts each failure', async () => {
    pipeline = testPipeline({
      'feeds.yaml': 'feeds: []\n',
      'channels.yaml': 'channels:\n  - id: console\n    type: console\n',
      'rules/r.yaml': RULES,
    });
    const loaded = pipeline.ctx.config();
    const vocabulary = new Vocabulary();
    const rules = [
      { id: 'broken', query: stackExhausting(vocabulary) },
      { id: 'fine', query: matcher('troops', vocabulary) },
    ];
    const ruleSet = new CompiledRuleSet(rules, vocabulary, undefined);
    pipeline.ctx.config = () => ({ ...loaded, ruleSet });

    for (const id of ['a1', 'a2', 'a3'])
      expect(await processArticle(jobOf({ article: article(id) }), pipeline.ctx, 'queue')).toEqual({ alerts: 1 });
    const errors = pipeline.logs.filter((l) => l.level >= 50);
    expect(errors).toEqual([
      expect.objectContaining({ ruleId: 'broken', msg: expect.stringContaining('failed while matching and is skipped') }),
    ]);
    expect(await pipeline.ctx.metrics.registry.metrics()).toContain('newswatch_rule_errors_total{rule="broken"} 3');
  });

  describe('batches (the articles of one fetch in one job)', () => {
    const ONE_RULE = 'rules:\n  - id: fine\n    name: Fine\n    query: troops\n    channels: [console]\n';
    const setup = () =>
      (pipeline = testPipeline({
        'feeds.yaml': 'feeds: []\n',
        'channels.yaml': 'channels:\n  - id: console\n    type: console\n',
        'rules/r.yaml': ONE_RULE,
      }));
    const alertJobIds = async () => (await pipeline!.ctx.queues.alerts.getJobs(['waiting'])).map((j) => j.id).sort();
    /** The ledger's write for `articleId` fails once, after its alert was handed on. */
    const failLedgerRecordOnce = (p: TestPipeline, articleId: string) => {
      const ledger = p.ctx.state.alertLedger;
      const record = ledger.record.bind(ledger);
      let failures = 1;
      ledger.record = async (ruleIds, id) => {
        if (id === articleId && failures-- > 0) throw new Error(`injected: ${id} failed`);
        return record(ruleIds, id);
      };
    };

    it('alerts every article of a batch once, and a batch run again alerts nothing more', async () => {
      const p = setup();
      const [batch] = matchJobs(['a1', 'a2', 'a3'].map(article));
      expect(batch!.data).toHaveProperty('articles');
      const job = jobOf<MatchJob>(batch!.data, batch!.opts.jobId);
      expect(await processMatchJob(job, p.ctx, 'queue')).toEqual({ alerts: 3 });
      expect(await processMatchJob(job, p.ctx, 'queue')).toEqual({ alerts: 0 });
      expect(await alertJobIds()).toEqual(['alert-fine-a1', 'alert-fine-a2', 'alert-fine-a3']);
    });

    it('sends an article that fails on as its own article job; the rest of the batch completes', async () => {
      const p = setup();
      // a2's ledger write fails once, after its alert was handed on: the batch must not fail for it.
      failLedgerRecordOnce(p, 'a2');
      const articles = ['a1', 'a2', 'a3'].map(article);
      const [batch] = matchJobs(articles);
      expect(await processMatchJob(jobOf<MatchJob>(batch!.data), p.ctx, 'queue')).toEqual({ alerts: 2, requeued: 1 });
      expect(p.logs.find((l) => l.articleId === 'a2')?.msg).toContain('goes on as its own job');
      // Counted as a failed attempt of the articles queue, as a job of its own failing would be.
      expect(await p.ctx.metrics.registry.metrics()).toContain('newswatch_jobs_failed_total{queue="articles",final="false"} 1');

      const [own] = await p.ctx.queues.articles.getJobs(['waiting']);
      expect(own?.id).toBe('article-a2');
      expect(own?.data).toEqual(articleJob(articles[1]!));
      // Its own job alerts it (the same alert job, which BullMQ keeps once), and only once.
      expect(await processMatchJob(jobOf<MatchJob>(own!.data, own!.id), p.ctx, 'queue')).toEqual({ alerts: 1 });
      expect(await processMatchJob(jobOf<MatchJob>(own!.data, own!.id), p.ctx, 'queue')).toEqual({ alerts: 0 });
      expect(await alertJobIds()).toEqual(['alert-fine-a1', 'alert-fine-a2', 'alert-fine-a3']);
    });

    it('says when an article that failed could not go on as its own job, and then fails the batch to run it again', async () => {
      const p = setup();
      failLedgerRecordOnce(p, 'a2');
      // Queueing a2 on its own fails too, as while Redis is away.
      const queue = p.ctx.queues.articles;
      const add = queue.add.bind(queue);
      queue.add = async () => {
        throw new Error('injected: Redis went away');
      };
      const [batch] = matchJobs(['a1', 'a2', 'a3'].map(article));
      const job = jobOf<MatchJob>(batch!.data, batch!.opts.jobId);
      await expect(processMatchJob(job, p.ctx, 'queue')).rejects.toThrow('injected: Redis went away');
      expect(p.logs.find((l) => l.articleId === 'a2')?.msg).toContain(
        'could not go on as its own job (injected: Redis went away): the batch runs again',
      );
      expect(await p.ctx.queues.articles.getJobs(['waiting'])).toEqual([]);

      queue.add = add;
      expect(await processMatchJob(job, p.ctx, 'queue')).toEqual({ alerts: 1 });
      expect(await alertJobIds()).toEqual(['alert-fine-a1', 'alert-fine-a2', 'alert-fine-a3']);
    });

    it('takes a batch whose worker died as a stalled job, and sends its articles on as their own jobs', { timeout: 60_000 }, async () => {
      const p = setup();
      const connections: Redis[] = [];
      const workers: Worker[] = [];
      cleanup.push(async () => {
        await Promise.all(workers.map((w) => w.close(true)));
        for (const c of connections) c.disconnect();
      });
      // Locks of a second, so the dead worker's batch is found stalled soon.
      const ctx: PipelineContext = {
        ...p.ctx,
        workerOptions: (concurrency) => {
          const options = p.ctx.workerOptions(concurrency);
          connections.push(options.connection as Redis);
          return { ...options, lockDuration: 1_000, stalledInterval: 1_000, maxStalledCount: 5 };
        },
      };
      const [batch] = matchJobs(['a1', 'a2', 'a3'].map(article));
      await p.ctx.queues.articles.add(batch!.name, batch!.data, batch!.opts);
      // The first worker takes the batch and dies holding it: closed by force, it renews no lock.
      let taken!: () => void;
      const tookIt = new Promise<void>((r) => (taken = r));
      const dying = new Worker(QUEUE_NAMES.articles, () => (taken(), new Promise(() => {})), ctx.workerOptions(1));
      workers.push(dying);
      await tookIt;
      await dying.close(true);

      workers.push(createMatchWorker(ctx, 'queue'));
      await waitFor('the three article jobs to complete', async () =>
        (await Promise.all(['a1', 'a2', 'a3'].map((id) => p.ctx.queues.articles.getJobState(`article-${id}`)))).every(
          (s) => s === 'completed',
        ),
      );
      expect((await p.ctx.queues.articles.getJob(batch!.opts.jobId!))?.returnvalue).toEqual({ alerts: 0, requeued: 3 });
      expect(await alertJobIds()).toEqual(['alert-fine-a1', 'alert-fine-a2', 'alert-fine-a3']);
    });

    it('still matches a job of one article (a single new item, or a job queued before batches)', async () => {
      const p = setup();
      const [single] = matchJobs([article('a1')]);
      expect(single!.opts.jobId).toBe('article-a1');
      expect(await processMatchJob(jobOf<MatchJob>(single!.data, single!.opts.jobId), p.ctx, 'queue')).toEqual({ alerts: 1 });
      expect(await processMatchJob(jobOf<MatchJob>({ article: article('a9') }), p.ctx, 'queue')).toEqual({ alerts: 1 });
      expect(await alertJobIds()).toEqual(['alert-fine-a1', 'alert-fine-a9']);
    });
  });
});
