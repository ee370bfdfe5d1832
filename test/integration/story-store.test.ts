import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Article } from '../../src/articles/article.js';
import { stateKeys } from '../../src/state/keys.js';
import { StoryStore } from '../../src/state/story-store.js';
import { StoryClusters } from '../../src/stories/story-clusters.js';
import { storyKey } from '../../src/stories/story-key.js';
import { syndicatedCorpus } from '../fixtures/stories/syndicated-copies.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());

const store = (keys = stateKeys(`test-${randomUUID()}`)) => new StoryStore(redis, keys, 3_600_000);
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

  it('finds an earlier member in the oldest band generation the window overlaps', async () => {
    const [first, copy] = syndicatedCorpus(1).filter((a) => a.storyId === 'nk-troops-kursk');
    const window = 3_600_000;
    // A generation is a quarter of the window: the first article in the last ms of one, its copy a window
    // less 1 ms later, so the window starts in the first article's generation, the oldest of the five read
    // (near the real time: band hashes expire by Redis's clock).
    let clock = Math.floor(Date.now() / (window / 4)) * (window / 4) + window / 4 - 1;
    const stories = new StoryStore(redis, stateKeys(`test-${randomUUID()}`), window, undefined, undefined, () => clock);
    const story = await stories.assign(asArticle(first!, 'outlet-1'));
    clock += window - 1;
    expect(await stories.assign(asArticle({ ...first!, id: copy!.id }, 'outlet-2'))).toMatchObject({ id: story.id, isNew: false });
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

  it('leaves nothing half-done when the step fails between membership and aggregates, so the retry counts once', async () => {
    const [first, second] = syndicatedCorpus(1).filter((a) => a.storyId === 'nk-troops-kursk');
    const keys = stateKeys(`test-${randomUUID()}`);
    const stories = store(keys);
    const story = await stories.assign(asArticle(first!, 'outlet-1'));
    // Inject a failure at the aggregates: the story's links key holds the wrong type.
    await redis.rename(keys.storyLinks(story.id), `${keys.storyLinks(story.id)}-aside`);
    await redis.set(keys.storyLinks(story.id), 'not a list');
    await expect(stories.assign(asArticle({ ...first!, id: second!.id }, 'outlet-2'))).rejects.toThrow(/WRONGTYPE/);
    expect(await redis.exists(keys.storyMember(second!.id))).toBe(0);
    expect([await redis.scard(keys.storySources(story.id)), await redis.hget(keys.story(story.id), 'articles')]).toEqual([1, '1']);
    // Once the fault is gone the retry applies the whole step, once, however often it runs.
    await redis.rename(`${keys.storyLinks(story.id)}-aside`, keys.storyLinks(story.id));
    for (let retry = 0; retry < 3; retry++) {
      const again = await stories.assign(asArticle({ ...first!, id: second!.id }, 'outlet-2'));
      expect(again).toMatchObject({ id: story.id, isNew: false, sources: 2, articles: 2 });
      expect(again.links).toEqual([`https://example.test/${first!.id}`, `https://example.test/${second!.id}`]);
    }
  });

  it('caps what a story keeps: sources counted up to a limit, the first links, one counter for articles', async () => {
    const base = syndicatedCorpus(1)[0]!;
    const keys = stateKeys(`test-${randomUUID()}`);
    const limits = { sources: 12, links: 5, bandMembers: 4 };
    const stories = new StoryStore(redis, keys, 3_600_000, undefined, limits);
    // Sent at once on one connection: Redis runs them in order, without a round trip each.
    const all = await Promise.all(
      Array.from({ length: 20 }, (_, i) => stories.assign(asArticle({ ...base, id: `copy-${i}` }, `outlet-${i}`))),
    );
    expect(all.every((s) => s.id === 'copy-0')).toBe(true);
    const last = all.at(-1);
    expect(last).toMatchObject({ sources: 12, articles: 20 });
    expect(last!.links).toEqual(Array.from({ length: 5 }, (_, i) => `https://example.test/copy-${i}`));
    const bandKeys = await redis.keys(`${keys.story('')}bands:*`);
    expect(bandKeys.length).toBeGreaterThan(0);
    for (const key of bandKeys) {
      const { ttl, ...bands } = await redis.hgetall(key);
      for (const members of Object.values(bands)) expect(members.split(' ').length).toBeLessThanOrEqual(4);
      // The expiry is set once, with the hash, and recorded in it.
      expect(Number(await redis.pexpiretime(key))).toBe(Number(ttl));
    }
    expect(await redis.type(`${keys.story('copy-0')}:articles`)).toBe('none');
  });
});
