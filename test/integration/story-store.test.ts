import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Article } from '../../src/feeds/article.js';
import { stateKeys } from '../../src/state/keys.js';
import { StoryStore } from '../../src/state/story-store.js';
import { StoryClusters } from '../../src/stories/story-clusters.js';
import { storyKey } from '../../src/stories/story-key.js';
import { syndicatedCorpus } from '../fixtures/stories/syndicated-copies.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

const store = () => new StoryStore(redis, stateKeys(`test-${randomUUID()}`), 3_600_000);
const asArticle = (a: { id: string; title: string; summary: string; content: string }, feedId: string): Article => ({
  ...a,
  feedId,
  link: `https://example.test/${a.id}`,
  author: '',
  categories: [],
  published: new Date().toISOString(),
  fetchedAt: new Date().toISOString(),
});

describe('StoryStore (Redis)', () => {
  it('assigns exactly as the in-memory reference procedure does', async () => {
    const corpus = syndicatedCorpus(3).slice(0, 120);
    const stories = store();
    const reference = new StoryClusters();
    for (const [i, a] of corpus.entries()) {
      const expected = reference.add(a.id, storyKey(a));
      const got = await stories.assign(asArticle(a, `feed-${i % 7}`));
      expect({ id: a.id, story: got.id, isNew: got.isNew }).toEqual({ id: a.id, story: expected.storyId, isNew: expected.isNew });
    }
  });

  it('puts copies processed at the same moment into one story, and is idempotent per article', async () => {
    const copies = syndicatedCorpus(1).filter((a) => a.storyId === 'nk-troops-kursk');
    const base = copies[0]!;
    // Exact copies from different outlets: whichever runs first, all must share one story.
    const stories = store();
    const results = await Promise.all(copies.map((c, i) => stories.assign(asArticle({ ...base, id: c.id }, `outlet-${i}`))));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    const again = await stories.assign(asArticle({ ...base, id: copies[3]!.id }, 'outlet-3'));
    const story = await stories.get(again.id);
    expect(story).toMatchObject({ sources: 8, articles: 8 });
    expect(story.links).toHaveLength(8);
  });
});
