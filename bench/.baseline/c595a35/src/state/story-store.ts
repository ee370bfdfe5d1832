import type { Redis } from 'ioredis';
import type { Article } from '../feeds/article.js';
import type { StoryRef } from '../queues/queues.js';
import { STORY_OVERLAP, storyKey } from '../stories/story-key.js';
import type { StateKeys } from './keys.js';

const MAX_LINKS = 50;

/**
 * Picks the story and indexes the article in one atomic step, so two copies processed at the same
 * moment cannot both start a story. The similarity is `shingleOverlap` (shared shingles over the
 * smaller set), the choice the one of `StoryClusters`: the most similar candidate at or above the
 * threshold, the older one on a tie.
 * KEYS: the article's band keys, then its member key. ARGV: member key prefix, article id,
 * shingles (JSON), min overlap, ttl ms, now ms. Member keys of candidates are derived from the
 * prefix: on Redis Cluster, a hash-tagged prefix keeps them in the same slot.
 */
const ASSIGN_SCRIPT = `
local nbands = #KEYS - 1
local existing = redis.call('GET', KEYS[#KEYS])
if existing then return cjson.decode(existing).storyId end
local shingles = cjson.decode(ARGV[3])
local minOverlap, ttl, now = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local bestId, bestSim, bestAt = nil, -1, 0
if nbands > 0 then
  for _, candidate in ipairs(redis.call('SUNION', unpack(KEYS, 1, nbands))) do
    local raw = redis.call('GET', ARGV[1] .. candidate)
    if not raw then
      -- The member expired: drop it from the bands, so a recurring headline's band stays small.
      for i = 1, nbands do redis.call('SREM', KEYS[i], candidate) end
    else
      local member = cjson.decode(raw)
      local small, large = shingles, member.shingles
      if #large < #small then small, large = large, small end
      local inLarge = {}
      for _, s in ipairs(large) do inLarge[s] = true end
      local shared = 0
      for _, s in ipairs(small) do if inLarge[s] then shared = shared + 1 end end
      local sim = 0
      if #small > 0 then sim = shared / #small end
      if sim >= minOverlap and (sim > bestSim or (sim == bestSim and member.at < bestAt)) then
        bestId, bestSim, bestAt = member.storyId, sim, member.at
      end
    end
  end
end
local storyId = bestId or ARGV[2]
redis.call('SET', KEYS[#KEYS], cjson.encode({ storyId = storyId, shingles = shingles, at = now }), 'PX', ttl)
for i = 1, nbands do
  redis.call('SADD', KEYS[i], ARGV[2])
  redis.call('PEXPIRE', KEYS[i], ttl)
end
return storyId
`;

/**
 * Near-duplicate stories in Redis, within a window: the procedure of `StoryClusters` (an article joins
 * the story of its most similar earlier candidate sharing an LSH band, or starts one), atomic per
 * article through a Lua script, so any number of workers agree.
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
    const key = storyKey(article);
    const memberKey = this.keys.storyMember(article.id);
    const storyId = (await this.redis.eval(
      ASSIGN_SCRIPT,
      key.bands.length + 1,
      ...key.bands.map((b) => this.keys.storyBand(b)),
      memberKey,
      this.keys.storyMember(''),
      article.id,
      JSON.stringify(key.shingles),
      this.minOverlap,
      this.windowMs,
      Date.now(),
    )) as string;
    // The aggregates need no transaction: sets are idempotent, and a retried article (already in the
    // story's article set) does not push its link twice.
    const ttl = this.windowMs;
    const firstTime = (await this.redis.sadd(this.keys.storyArticles(storyId), article.id)) === 1;
    const multi = this.redis.multi().pexpire(this.keys.storyArticles(storyId), ttl);
    multi.sadd(this.keys.storySources(storyId), article.feedId).pexpire(this.keys.storySources(storyId), ttl);
    if (storyId === article.id) multi.hset(this.keys.story(storyId), { first: article.id, firstSeen: Date.now(), title: article.title }).pexpire(this.keys.story(storyId), ttl);
    if (firstTime && article.link) {
      const linksKey = this.keys.storyLinks(storyId);
      multi.rpush(linksKey, article.link).ltrim(linksKey, 0, MAX_LINKS - 1).pexpire(linksKey, ttl);
    }
    await multi.exec();
    return { ...(await this.get(storyId)), isNew: storyId === article.id };
  }

  async get(storyId: string): Promise<StoryRef & { articles: number }> {
    const [sources, links, articles] = await Promise.all([
      this.redis.scard(this.keys.storySources(storyId)),
      this.redis.lrange(this.keys.storyLinks(storyId), 0, -1),
      this.redis.scard(this.keys.storyArticles(storyId)),
    ]);
    return { id: storyId, sources, links, articles };
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
}
