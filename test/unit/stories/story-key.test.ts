import { describe, expect, it } from 'vitest';
import { sameStory, STORY_OVERLAP, storyKey, storySimilarity } from '../../../src/stories/story-key.js';
import { WIRE_REPORTS } from '../../fixtures/stories/wire-reports.js';

const report = (id: string) => {
  const found = WIRE_REPORTS.find((r) => r.id === id);
  if (!found) throw new Error(`no report ${id}`);
  return found;
};
const asFiled = (id: string) => ({ title: report(id).headlines[0]!, summary: '', content: report(id).sentences.join(' ') });

describe('storyKey', () => {
  it('is stable across releases', () => {
    // Keys live in Redis for the story window: a change here splits stories across a deploy.
    const key = storyKey(asFiled('nk-troops-kursk'));
    expect(key.shingles.slice(0, 4)).toEqual(['11000', '11000 soldiers', '8000', '8000 soldiers']);
    expect([key.bands[0], key.bands.at(-1)]).toEqual(['h0.02ab88b103693548', 'b31.026c894d02dddad6']);
  });
});

describe('sameStory', () => {
  it('joins a copy with a new headline, a dateline, a byline and boilerplate', () => {
    const wire = asFiled('nk-troops-kursk');
    const copy = {
      title: 'BREAKING: Ukraine says North Korean soldiers have arrived in Kursk',
      summary: report('nk-troops-kursk').sentences[0]!,
      content: `Von Anna Schmidt, dpa KYIV — ${wire.content} Sign up for our morning newsletter.`,
    };
    expect(sameStory(storyKey(wire), storyKey(copy))).toBe(true);
  });

  it('joins a teaser cut after two lines to the full report', () => {
    const wire = asFiled('quake-japan');
    const teaser = { title: wire.title, summary: `${wire.content.split(' ').slice(0, 25).join(' ')}…`, content: '' };
    expect(storySimilarity(storyKey(wire), storyKey(teaser))).toBeGreaterThan(0.9);
  });

  it('keeps apart different stories on one subject', () => {
    for (const [a, b] of [
      ['nk-troops-kursk', 'nk-troops-combat'],
      ['markets-tech-rally', 'markets-bank-rally'],
      ['quake-japan', 'quake-japan-noto'],
    ] as const) {
      expect(storySimilarity(storyKey(asFiled(a)), storyKey(asFiled(b)))).toBeLessThan(STORY_OVERLAP);
    }
  });

  it('takes the threshold as an argument', () => {
    const a = storyKey({ title: 'alpha beta gamma delta', summary: '', content: '' });
    const b = storyKey({ title: 'alpha beta gamma omega', summary: '', content: '' });
    // 7 shingles each, 5 shared ("alpha", "beta", "gamma", "alpha beta", "beta gamma").
    expect(storySimilarity(a, b)).toBeCloseTo(5 / 7);
    expect(sameStory(a, b, 0.7)).toBe(true);
    expect(sameStory(a, b, 0.75)).toBe(false);
  });
});
