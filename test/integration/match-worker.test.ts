import { afterEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { CompiledRuleSet } from '../../src/rules/compile.js';
import { Vocabulary } from '../../src/rules/vocabulary.js';
import { articleJob, matchJobs, type MatchJob } from '../../src/queues/queues.js';
import { processArticle, processMatchJob } from '../../src/workers/match-worker.js';
import { matcher, stackExhausting } from '../unit/rules/broken-matcher.js';
import { jobOf, testPipeline, type TestPipeline } from '../support/test-pipeline.js';

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
  afterEach(() => pipeline?.close());

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
      const ledger = p.ctx.state.alertLedger;
      const record = ledger.record.bind(ledger);
      let failures = 1;
      ledger.record = async (ruleIds, articleId) => {
        if (articleId === 'a2' && failures-- > 0) throw new Error('injected: a2 failed');
        return record(ruleIds, articleId);
      };
      const articles = ['a1', 'a2', 'a3'].map(article);
      const [batch] = matchJobs(articles);
      expect(await processMatchJob(jobOf<MatchJob>(batch!.data), p.ctx, 'queue')).toEqual({ alerts: 2, requeued: 1 });
      expect(p.logs.find((l) => l.articleId === 'a2')?.msg).toContain('goes on as its own job');

      const [own] = await p.ctx.queues.articles.getJobs(['waiting']);
      expect(own?.id).toBe('article-a2');
      expect(own?.data).toEqual(articleJob(articles[1]!));
      // Its own job alerts it (the same alert job, which BullMQ keeps once), and only once.
      expect(await processMatchJob(jobOf<MatchJob>(own!.data, own!.id), p.ctx, 'queue')).toEqual({ alerts: 1 });
      expect(await processMatchJob(jobOf<MatchJob>(own!.data, own!.id), p.ctx, 'queue')).toEqual({ alerts: 0 });
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
