import type { Redis } from 'ioredis';
import type { Article } from '../articles/article.js';
import type { StoryRef } from '../alerts/alert.js';
import { STORY_OVERLAP, shingleHashes, storyKey } from '../stories/story-key.js';
import type { StateKeys } from './keys.js';
import { withScripts, type ScriptedRedis } from './redis-scripts.js';

/** What one story and one band keep at most. */
export interface StoryLimits {
  /** Links kept per story (the payload's `story.links`): the first ones. */
  links: number;
  /** Sources counted per story: `sources` stops growing here (far above any `follow_up`). */
  sources: number;
  /** Members kept per band within a generation, newest first: bounds the lookups of a headline that recurs. */
  bandMembers: number;
}

const STORY_LIMITS: StoryLimits = { links: 50, sources: 500, bandMembers: 32 };
/**
 * A generation's band hash spans a quarter of the window: lookups read five generations (one HMGET each),
 * and a band lives at most a window and a quarter. Fewer generations read fewer hashes but keep bands longer.
 */
const GENERATIONS_PER_WINDOW = 4;

/**
 * Near-duplicate stories in Redis, within a window: the procedure of `StoryClusters`, run per article
 * by one Lua script (`lua/story-assign.lua`) that chooses the story, indexes the article and updates
 * the story's aggregates in one atomic step, so any number of workers agree and a crash never leaves a
 * member without its aggregates.
 */
export class StoryStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: StateKeys,
    private readonly windowMs: number,
    private readonly minOverlap = STORY_OVERLAP,
    private readonly limits: StoryLimits = STORY_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.redis = withScripts(redis);
  }

  /** Puts the article into its story (idempotent per article id) and returns the story as it now stands. */
  async assign(article: Article): Promise<StoryRef & { isNew: boolean; articles: number }> {
    const key = storyKey(article);
    const reply = (await this.redis.storyAssign(
      this.keys.storyMember(article.id),
      this.keys.story(''),
      article.id,
      article.feedId,
      article.link,
      article.title,
      shingleHashes(key.shingles),
      this.minOverlap,
      this.windowMs,
      Math.max(1, Math.floor(this.windowMs / GENERATIONS_PER_WINDOW)),
      this.now(),
      this.limits.sources,
      this.limits.links,
      this.limits.bandMembers,
      ...key.bands,
    )) as [string, number, number, number, ...string[]];
    const [id, isNew, sources, articles, ...links] = reply;
    return { id, sources, links, articles, isNew: isNew === 1 };
  }

  async get(storyId: string): Promise<StoryRef & { articles: number }> {
    const [sources, links, articles] = await Promise.all([
      this.redis.scard(this.keys.storySources(storyId)),
      this.redis.lrange(this.keys.storyLinks(storyId), 0, -1),
      this.redis.hget(this.keys.story(storyId), 'articles'),
    ]);
    return { id: storyId, sources, links, articles: Number(articles ?? 0) };
  }
}
