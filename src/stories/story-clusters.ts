import { hammingDistance } from './fingerprint.js';
import { bandKeys, STORY_THRESHOLD } from './lsh.js';

export interface StoryAssignment {
  /** Id of the story's first article. */
  storyId: string;
  /** True when this article started the story. */
  isNew: boolean;
}

/**
 * The clustering procedure in memory, as the Redis-backed story store runs it within its window: the first
 * article starts a story; a later one joins the story of its nearest earlier article within the threshold
 * (the earlier story on a tie), found through band keys. Used by the evaluation and as the reference for
 * the store's tests.
 */
export class StoryClusters {
  private readonly articlesByBand = new Map<string, { fingerprint: string; storyId: string }[]>();

  constructor(private readonly threshold: number = STORY_THRESHOLD) {}

  add(articleId: string, fingerprint: string): StoryAssignment {
    const keys = bandKeys(fingerprint, this.threshold);
    let best: { storyId: string; distance: number } | undefined;
    for (const key of keys) {
      for (const candidate of this.articlesByBand.get(key) ?? []) {
        const distance = hammingDistance(fingerprint, candidate.fingerprint);
        if (distance <= this.threshold && (best === undefined || distance < best.distance)) {
          best = { storyId: candidate.storyId, distance };
        }
      }
    }
    const assignment = best ? { storyId: best.storyId, isNew: false } : { storyId: articleId, isNew: true };
    for (const key of keys) {
      const members = this.articlesByBand.get(key) ?? [];
      members.push({ fingerprint, storyId: assignment.storyId });
      this.articlesByBand.set(key, members);
    }
    return assignment;
  }
}
