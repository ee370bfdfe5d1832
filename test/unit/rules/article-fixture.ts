import type { Article } from '../../../src/articles/article.js';

export const NOW = Date.parse('2026-11-29T12:00:00Z');

export function article(fields: Partial<Article> = {}): Article {
  return {
    id: 'a1',
    feedId: 'world-news',
    title: '',
    link: 'https://www.reuters.com/world/article-1',
    summary: '',
    content: '',
    author: '',
    categories: [],
    published: new Date(NOW - 60_000).toISOString(),
    fetchedAt: new Date(NOW).toISOString(),
    ...fields,
  };
}
