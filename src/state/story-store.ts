import type { Redis } from 'ioredis';
import type { Article } from '../feeds/article.js';
import type { StoryRef } from '../queues/queues.js';
import { STORY_OVERLAP, storyKey, storySimilarity } from '../stories/story-key.js';
import type { StateKeys } from './keys.js';

const MAX_LINKS = 50;
const MAX_RETRIES = 10;

interface Member {
  storyId: string;
  shingles: string[];
  /** When the member joined (epoch ms): ties go to the older story, as in StoryClusters. */
  at: number;
}

/**
 * Near-duplicate stories in Redis, within a window: the procedure of `StoryClusters` (an article joins
 * the story of its most similar earlier candidate sharing an LSH band, or starts one), made safe for
 * many workers with an optimistic transaction over the article's band keys.
 */
export class StoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
    private readonly windowMs: number,
    private readonly minOverlap = STORY_OVERLAP,
  ) {}

  /** Puts the article into its story (idempotent per article id) and returns the story as it now stands. */
  async assign(article: Article): Promise<StoryRef & { isNew: boolean }> {
    const existing = await this.redis.get(this.keys.storyMember(article.id));
    if (existing) {
      const { storyId } = JSON.parse(existing) as Member;
      return { ...(await this.get(storyId)), isNew: storyId === article.id };
    }
    const key = storyKey(article);
    const bandKeys = key.bands.map((b) => this.keys.storyBand(b));
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      // A concurrent copy indexed under one of our bands invalidates the choice: EXEC fails, we look again.
      await this.redis.watch(...bandKeys);
      const storyId = (await this.nearestStory(bandKeys, key.shingles)) ?? article.id;
      const ttl = this.windowMs;
      const multi = this.redis.multi();
      multi.set(this.keys.storyMember(article.id), JSON.stringify({ storyId, shingles: key.shingles, at: Date.now() } satisfies Member), 'PX', ttl);
      for (const band of bandKeys) multi.sadd(band, article.id).pexpire(band, ttl);
      multi.sadd(this.keys.storySources(storyId), article.feedId).pexpire(this.keys.storySources(storyId), ttl);
      if (article.link) multi.rpush(this.keys.storyLinks(storyId), article.link).ltrim(this.keys.storyLinks(storyId), 0, MAX_LINKS - 1).pexpire(this.keys.storyLinks(storyId), ttl);
      if (storyId === article.id) multi.hset(this.keys.story(storyId), { first: article.id, firstSeen: Date.now(), title: article.title });
      multi.hincrby(this.keys.story(storyId), 'articles', 1).pexpire(this.keys.story(storyId), ttl);
      if (await multi.exec()) return { ...(await this.get(storyId)), isNew: storyId === article.id };
    }
    throw new Error(`story assignment for article ${article.id} kept conflicting; the job will be retried`);
  }

  async get(storyId: string): Promise<StoryRef & { articles: number }> {
    const [sources, links, articles] = await Promise.all([
      this.redis.scard(this.keys.storySources(storyId)),
      this.redis.lrange(this.keys.storyLinks(storyId), 0, -1),
      this.redis.hget(this.keys.story(storyId), 'articles'),
    ]);
    return { id: storyId, sources, links, articles: Number(articles ?? 0) };
  }

  /**
   * Claims "the article that alerts on this story for this rule" (first alert or follow-up). The claim
   * holds the article id, so a retry of the same article gets it again and nothing is lost to a crash.
   */
  async claim(ruleId: string, storyId: string, articleId: string, what: 'first' | 'follow'): Promise<boolean> {
    const key = this.keys.storyAlerted(ruleId, storyId, what);
    const set = await this.redis.set(key, articleId, 'PX', this.windowMs, 'NX');
    return set === 'OK' || (await this.redis.get(key)) === articleId;
  }

  private async nearestStory(bandKeys: string[], shingles: string[]): Promise<string | undefined> {
    const candidates = await this.redis.sunion(...bandKeys);
    if (candidates.length === 0) return undefined;
    const members = await this.redis.mget(...candidates.map((id) => this.keys.storyMember(id)));
    let best: { member: Member; similarity: number } | undefined;
    for (const raw of members) {
      if (!raw) continue;
      const member = JSON.parse(raw) as Member;
      const similarity = storySimilarity({ bands: [], shingles }, { bands: [], shingles: member.shingles });
      if (similarity < this.minOverlap) continue;
      if (!best || similarity > best.similarity || (similarity === best.similarity && member.at < best.member.at)) best = { member, similarity };
    }
    return best?.member.storyId;
  }
}
