import type { Article } from '../../src/articles/article.js';

/** A story fixture's article (see test/fixtures/stories) as the pipeline's `Article`, from `feedId`. */
export const asArticle = (a: { id: string; title: string; summary: string; content: string }, feedId: string): Article => ({
  ...a,
  feedId,
  link: `https://example.test/${a.id}`,
  author: '',
  categories: [],
  published: new Date().toISOString(),
  fetchedAt: new Date().toISOString(),
});
