import { describe, expect, it } from 'vitest';
import { STORY_BAND_SHAPE } from '../../../src/stories/minhash-bands.js';
import { STORY_OVERLAP } from '../../../src/stories/story-key.js';
import { syndicatedCorpus } from '../../fixtures/stories/syndicated-copies.js';
import { clusterScores, keyAll, precision, recall, sumScores } from '../../fixtures/stories/story-evaluation.js';

/**
 * Floors just under what bench/stories.ts measured for the chosen settings (bench/RESULTS.md): a change to
 * tokens, shingles, bands or threshold that loses precision or recall on the evaluation set fails here.
 */
describe('story clustering on the syndication evaluation set', () => {
  const seeds = [1, 2, 3, 4, 5];
  const scores = seeds.map((seed) => clusterScores(keyAll(syndicatedCorpus(seed)), STORY_OVERLAP, STORY_BAND_SHAPE));
  const total = sumScores(scores);

  it('keeps clustered precision and recall above the measured floors', () => {
    expect(precision(total)).toBeGreaterThanOrEqual(0.995); // measured 1.000
    expect(recall(total)).toBeGreaterThanOrEqual(0.91); // measured 0.922
  });

  it('sends close to one alert per story and never merges two stories', () => {
    const alerts = scores.reduce((sum, s) => sum + s.alerts, 0) / scores.length;
    expect(alerts).toBeLessThanOrEqual(41); // measured 40.0 for 33 stories
    expect(scores.map((s) => s.mergedStories)).toEqual([0, 0, 0, 0, 0]);
  });
});
