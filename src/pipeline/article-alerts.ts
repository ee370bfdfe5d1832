import type { RuleConfig } from '../config/schema.js';
import { articleFacts } from '../facts/article-facts.js';
import type { Article } from '../articles/article.js';
import { jobIds } from '../queues/queues.js';
import { alertArticle, type AlertJob, type StoryRef } from '../alerts/alert.js';
import type { RuleHit } from '../rules/rule-set.js';
import type { HistoryEntry } from '../state/alert-history.js';
import type { ClaimOutcome, ClaimRequest } from '../state/alert-ledger.js';

/**
 * What one matched rule can make of an article: the story's first alert, or (once the story has
 * reached the rule's follow_up sources) its follow-up. Which one, if any, is decided by the claims in
 * Redis (`AlertLedger.claim`); everything else is decided here, without Redis.
 */
export interface AlertCandidate {
  ruleId: string;
  claim: ClaimRequest;
  /**
   * The alert itself. Explaining the match and reading its facts cost more than matching, so they are
   * done only for the alert a claim grants: most copies of a story alert nothing.
   */
  alert(event: AlertJob['event']): AlertJob;
}

/** One candidate per hit of a rule that is still configured. */
export function alertCandidates(
  article: Article,
  story: StoryRef,
  hits: readonly RuleHit[],
  ruleById: ReadonlyMap<string, RuleConfig>,
  matchedAt: Date,
): AlertCandidate[] {
  const candidates: AlertCandidate[] = [];
  for (const hit of hits) {
    const rule = ruleById.get(hit.ruleId);
    if (!rule) continue;
    const alertIds = {
      'alert.matched': jobIds.alert(rule.id, article.id),
      'alert.follow_up': jobIds.alert(rule.id, `${story.id}-follow-up`),
    };
    candidates.push({
      ruleId: rule.id,
      claim: {
        ruleId: rule.id,
        storyId: story.id,
        followUpDue: rule.follow_up !== undefined && story.sources >= rule.follow_up,
        firstEntry: historyLine(alertIds['alert.matched'], rule, article, story),
        followUpEntry: historyLine(alertIds['alert.follow_up'], rule, article, story),
      },
      alert: (event) => {
        const match = hit.explain();
        return {
          alertId: alertIds[event],
          event,
          rule: { id: rule.id, name: rule.name, severity: rule.severity, labels: rule.labels },
          channels: rule.channels,
          article: alertArticle(article),
          match,
          matchedAt: matchedAt.toISOString(),
          story: { id: story.id, sources: story.sources, links: story.links },
          facts: articleFacts(article, match),
        };
      },
    });
  }
  return candidates;
}

/** The alert's line in the alert history. */
function historyLine(alertId: string, rule: RuleConfig, article: Article, story: StoryRef): HistoryEntry {
  return {
    event: 'alert',
    alertId,
    ruleId: rule.id,
    articleId: article.id,
    title: article.title,
    link: article.link,
    storyId: story.id,
    channels: rule.channels,
  };
}

/**
 * Given what the claims found per candidate: the alerts to hand on (queue or dispatch), and the rules whose (rule, article)
 * pair is settled once they are handed on (everything but what had alerted before).
 */
export function alertsToHandOn(
  candidates: readonly AlertCandidate[],
  outcomes: readonly ClaimOutcome[],
): { alerts: AlertJob[]; settled: string[] } {
  const alerts: AlertJob[] = [];
  const settled: string[] = [];
  candidates.forEach((candidate, i) => {
    const outcome = outcomes[i];
    if (outcome === 'first') alerts.push(candidate.alert('alert.matched'));
    if (outcome === 'follow-up') alerts.push(candidate.alert('alert.follow_up'));
    if (outcome !== 'alerted-before') settled.push(candidate.ruleId);
  });
  return { alerts, settled };
}
