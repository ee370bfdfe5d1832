import type { Redis } from 'ioredis';
import type { Fact } from '../facts/extract-facts.js';
import type { StateKeys } from './keys.js';

/**
 * The facts of a story's first alert per rule, kept as long as the story can grow, so its follow-up
 * can say what is new ("now 6,000 construction troops as well").
 */
export class StoryFacts {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
    private readonly ttlMs: number,
  ) {}

  async remember(ruleId: string, storyId: string, facts: readonly Fact[]): Promise<void> {
    await this.redis.set(this.keys.storyFacts(ruleId, storyId), JSON.stringify(facts), 'PX', this.ttlMs);
  }

  /** The first alert's facts; empty when none were kept (or they expired with the story). */
  async recall(ruleId: string, storyId: string): Promise<Fact[]> {
    const raw = await this.redis.get(this.keys.storyFacts(ruleId, storyId));
    if (raw === null) return [];
    try {
      return JSON.parse(raw) as Fact[];
    } catch {
      return [];
    }
  }
}
