import { STORY_OVERLAP, storySimilarity, type StoryKey } from './story-key.js';

export interface StoryAssignment {
  /** Id of the story's first article. */
  storyId: string;
  /** True when this article started the story. */
  isNew: boolean;
}

interface Member {
  key: StoryKey;
  storyId: string;
  /** Arrival order, so ties go to the older story. */
  seq: number;
}

/**
 * The clustering procedure in memory, as the Redis-backed story store runs it within its window: an
 * article's candidates are the earlier articles sharing a band key with it; it joins the story of the
 * most similar candidate at or above the overlap threshold (the earlier candidate on a tie), or else
 * starts a story of its own. Nothing expires here (the store's window does that). Used by the evaluation
 * and as the reference for the store's tests.
 */
export class StoryClusters {
  private readonly membersByBand = new Map<string, Member[]>();
  private seq = 0;

  constructor(private readonly minOverlap: number = STORY_OVERLAP) {}

  add(articleId: string, key: StoryKey): StoryAssignment {
    let best: { member: Member; similarity: number } | undefined;
    for (const band of key.bands) {
      for (const member of this.membersByBand.get(band) ?? []) {
        const similarity = storySimilarity(key, member.key);
        if (similarity < this.minOverlap) continue;
        const better =
          best === undefined || similarity > best.similarity || (similarity === best.similarity && member.seq < best.member.seq);
        if (better) best = { member, similarity };
      }
    }
    const assignment = best ? { storyId: best.member.storyId, isNew: false } : { storyId: articleId, isNew: true };
    const member = { key, storyId: assignment.storyId, seq: this.seq++ };
    for (const band of key.bands) {
      const members = this.membersByBand.get(band);
      if (members) members.push(member);
      else this.membersByBand.set(band, [member]);
    }
    return assignment;
  }
}
