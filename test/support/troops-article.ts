import type { Article } from '../../src/articles/article.js';

/** An article that a `query: troops` rule matches, fetched and published now. */
export function troopsArticle(id: string, title = `Troops moved ${id}`): Article {
  const now = new Date().toISOString();
  return {
    id,
    feedId: 'wire',
    title,
    link: `https://example.test/${id}`,
    summary: 'troops',
    content: 'troops',
    author: '',
    categories: [],
    published: now,
    fetchedAt: now,
  };
}
