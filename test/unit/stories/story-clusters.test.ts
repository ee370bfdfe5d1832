import { describe, expect, it } from 'vitest';
import { StoryClusters } from '../../../src/stories/story-clusters.js';
import { storyKey, type StoryKey } from '../../../src/stories/story-key.js';
import { syndicatedCorpus } from '../../fixtures/stories/syndicated-copies.js';
import { WIRE_REPORTS } from '../../fixtures/stories/wire-reports.js';

const key = (shingles: string[], bands = ['k']): StoryKey => ({ shingles, bands });

describe('StoryClusters', () => {
  it('puts eight edited copies of one report from different outlets in one story', () => {
    const copies = syndicatedCorpus(7).filter((a) => a.storyId === 'nk-troops-kursk');
    expect(copies).toHaveLength(8);
    const clusters = new StoryClusters();
    const assignments = copies.map((copy) => clusters.add(copy.id, storyKey(copy)));
    expect(assignments.map((a) => a.isNew)).toEqual([true, false, false, false, false, false, false, false]);
    expect(new Set(assignments.map((a) => a.storyId))).toEqual(new Set([copies[0]!.id]));
  });

  it('starts a new story for a different report on the same subject', () => {
    const clusters = new StoryClusters();
    for (const id of ['nk-troops-kursk', 'nk-troops-combat', 'nk-soldiers-captured']) {
      const report = WIRE_REPORTS.find((r) => r.id === id)!;
      const article = { title: report.headlines[0]!, summary: '', content: report.sentences.join(' ') };
      expect(clusters.add(id, storyKey(article))).toEqual({ storyId: id, isNew: true });
    }
  });

  it('only compares articles that share a band key', () => {
    const clusters = new StoryClusters();
    clusters.add('a', key(['x', 'y'], ['band-1']));
    expect(clusters.add('b', key(['x', 'y'], ['band-2'])).isNew).toBe(true);
    expect(clusters.add('c', key(['x', 'y'], ['band-2', 'band-1']))).toEqual({ storyId: 'a', isNew: false });
  });

  it('joins the most similar story, the older one on a tie', () => {
    const twoStories = () => {
      const clusters = new StoryClusters(0.5);
      clusters.add('first', key(['a', 'b', 'c', 'd']));
      clusters.add('second', key(['e', 'f', 'g', 'h']));
      return clusters;
    };
    expect(twoStories().add('closer-to-second', key(['a', 'b', 'e', 'f', 'g']))).toEqual({ storyId: 'second', isNew: false });
    expect(twoStories().add('tie', key(['a', 'b', 'e', 'f']))).toEqual({ storyId: 'first', isNew: false });
  });
});
