import { describe, expect, it } from 'vitest';
import type { Article } from '../../../src/articles/article.js';
import { ARTICLE_BATCH_MAX, jobArticles, matchJobs, type ArticleBatchJob } from '../../../src/queues/queues.js';

const article = (id: string, text = 'same text'): Article => ({
  id,
  feedId: 'wire',
  title: `Title ${id}`,
  link: `https://example.test/${id}`,
  summary: text,
  content: text,
  html: { summary: `<p>${text}</p>` },
  author: '',
  categories: [],
  published: '2026-12-01T00:00:00.000Z',
  fetchedAt: '2026-12-01T00:00:01.000Z',
});

describe('matchJobs', () => {
  it('queues a single article as its own article job, as before batches', () => {
    expect(matchJobs([article('a1')])).toEqual([
      { name: 'article', data: { article: expect.objectContaining({ id: 'a1' }) }, opts: { jobId: 'article-a1' } },
    ]);
  });

  it(`batches a fetch's articles, at most ${ARTICLE_BATCH_MAX} a job, in order, each without its HTML and its text once`, () => {
    const articles = Array.from({ length: 2 * ARTICLE_BATCH_MAX + 1 }, (_, i) => article(`a${i}`));
    const jobs = matchJobs(articles);
    expect(jobs.map((j) => (j.data as ArticleBatchJob).articles.length)).toEqual([ARTICLE_BATCH_MAX, ARTICLE_BATCH_MAX, 1]);
    const stored = (jobs[0]!.data as ArticleBatchJob).articles[0]!;
    expect(stored).not.toHaveProperty('html');
    expect(stored).not.toHaveProperty('content');
    const { html: _html, ...withoutHtml } = articles[0]!;
    expect(jobs.flatMap((j) => jobArticles(j.data))).toEqual(articles.map(({ html: _h, ...rest }) => rest));
    expect(jobArticles(jobs[0]!.data)[0]).toEqual(withoutHtml);
  });

  it('names a batch by its feed and its article ids: the same articles, the same id (a retried fetch adds nothing)', () => {
    const id = (ids: string[]) => matchJobs(ids.map((i) => article(i)))[0]!.opts.jobId!;
    expect(id(['a1', 'a2'])).toBe(id(['a1', 'a2']));
    expect(id(['a1', 'a2'])).not.toBe(id(['a1', 'a3']));
    expect(id(['a1', 'a2'])).toMatch(/^articles-wire-[\w-]+$/);
  });
});
