import { afterEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { CompiledRuleSet } from '../../src/rules/compile.js';
import { Vocabulary } from '../../src/rules/vocabulary.js';
import { processArticle } from '../../src/workers/match-worker.js';
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
});
