import { describe, expect, it } from 'vitest';
import type { RuleConfig } from '../../../src/config/schema.js';
import { alertCandidates, alertsToHandOn } from '../../../src/pipeline/article-alerts.js';
import type { RuleHit, RuleMatch } from '../../../src/rules/rule-set.js';
import { article } from '../rules/article-fixture.js';

const rule = (id: string, follow_up?: number) =>
  ({ id, name: id.toUpperCase(), severity: 'high', labels: { team: 'osint' }, channels: ['hook'], follow_up }) as unknown as RuleConfig;
const match = (ruleId: string): RuleMatch => ({ ruleId, matched: ['troops'], terms: [], snippet: 'troops' });
const rules = new Map([
  ['nk', rule('nk', 3)],
  ['ru', rule('ru')],
]);
const at = new Date('2026-11-29T12:00:00Z');
/** Hits that note which rules were explained. */
const explained: string[] = [];
const hit = (ruleId: string): RuleHit => ({ ruleId, explain: () => (explained.push(ruleId), match(ruleId)) });

describe('alertCandidates', () => {
  const story = { id: 'story-1', sources: 3, links: ['https://a.example/1'] };
  const candidates = alertCandidates(article({ id: 'a2', title: 'Troops' }), story, [hit('nk'), hit('ru'), hit('gone')], rules, at);

  it('makes one candidate per configured rule, skipping rules no longer configured', () => {
    expect(candidates.map((c) => c.ruleId)).toEqual(['nk', 'ru']);
  });

  it('gives the first alert the article id and the follow-up the story id, so retries reuse both', () => {
    expect(candidates[0]!.alert('alert.matched')).toMatchObject({
      alertId: 'alert-nk-a2',
      event: 'alert.matched',
      rule: { id: 'nk', name: 'NK', severity: 'high' },
      channels: ['hook'],
      matchedAt: at.toISOString(),
    });
    expect(candidates[0]!.alert('alert.follow_up')).toMatchObject({
      alertId: 'alert-nk-story-1-follow-up',
      event: 'alert.follow_up',
      story,
    });
  });

  it('marks a follow-up due only for rules with follow_up, once the story has that many sources', () => {
    expect(candidates.map((c) => c.claim.followUpDue)).toEqual([true, false]);
    const early = alertCandidates(article({ id: 'a2' }), { ...story, sources: 2 }, [hit('nk')], rules, at);
    expect(early[0]!.claim.followUpDue).toBe(false);
  });

  it('carries the history line of each alert into the claim, written only when the claim is new', () => {
    expect(candidates[1]!.claim).toMatchObject({
      ruleId: 'ru',
      storyId: 'story-1',
      firstEntry: {
        event: 'alert',
        alertId: 'alert-ru-a2',
        ruleId: 'ru',
        articleId: 'a2',
        title: 'Troops',
        storyId: 'story-1',
        channels: ['hook'],
      },
    });
  });
});

describe('alertsToHandOn', () => {
  const candidates = alertCandidates(
    article({ id: 'a2' }),
    { id: 's', sources: 3, links: [] },
    [hit('nk'), hit('ru'), hit('nk'), hit('ru')],
    rules,
    at,
  );

  it('queues what was claimed and settles every pair that had not alerted before', () => {
    const { alerts, settled } = alertsToHandOn(candidates, ['first', 'alerted-before', 'follow-up', 'story-alerted']);
    expect(alerts.map((a) => a.alertId)).toEqual(['alert-nk-a2', 'alert-nk-s-follow-up']);
    expect(settled).toEqual(['nk', 'nk', 'ru']);
  });

  it('explains only the matches of the alerts it queues', () => {
    explained.length = 0;
    alertsToHandOn(candidates, ['story-alerted', 'first', 'alerted-before', 'story-alerted']);
    expect(explained).toEqual(['ru']);
  });

  it('queues nothing and settles nothing for pairs that alerted before', () => {
    expect(alertsToHandOn(candidates, ['alerted-before', 'alerted-before', 'alerted-before', 'alerted-before'])).toEqual({
      alerts: [],
      settled: [],
    });
  });
});
