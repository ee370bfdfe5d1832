import type { RuleConfig } from '../config/schema.js';
import { articleFacts } from '../facts/article-facts.js';
import type { Article } from '../articles/article.js';
import { jobIds } from '../queues/queues.js';
import { alertArticle, type AlertJob, type StoryRef } from '../alerts/alert.js';
import type { RuleHit, RuleMatch } from '../rules/rule-set.js';
import type { HistoryEntry } from '../state/alert-history.js';
import type { ClaimOutcome, ClaimRequest } from '../state/alert-ledger.js';

/**
 * What one matched rule can make of an article: the story's first alert, or (once the story has
 * reached the rule's follow_up sources) its follow-up. Which one, if any, is decided by the claims in
 * Redis (`AlertLedger.claim`); everything else is decided here, without Redis.
 */
export interface AlertCandidate {
  ruleId: string;
  first: AlertJob;
  followUp: AlertJob;
  claim: ClaimRequest;
}

/** The explanations of the hits that may alert: explaining costs more than matching, so only rules that exist. */
export function alertableMatches(hits: readonly RuleHit[], ruleById: ReadonlyMap<string, RuleConfig>): RuleMatch[] {
  return hits.filter((hit) => ruleById.has(hit.ruleId)).map((hit) => hit.explain());
}

export function alertCandidates(
  article: Article,
  story: StoryRef,
  matches: readonly RuleMatch[],
  ruleById: ReadonlyMap<string, RuleConfig>,
  matchedAt: Date,
): AlertCandidate[] {
  const candidates: AlertCandidate[] = [];
  for (const match of matches) {
    const rule = ruleById.get(match.ruleId);
    if (!rule) continue;
    const facts = articleFacts(article, match);
    const alert = (alertId: string, event: AlertJob['event']): AlertJob => ({
      alertId,
      event,
      rule: { id: rule.id, name: rule.name, severity: rule.severity, labels: rule.labels },
      channels: rule.channels,
      article: alertArticle(article),
      match,
      matchedAt: matchedAt.toISOString(),
      story: { id: story.id, sources: story.sources, links: story.links },
      facts,
    });
    const first = alert(jobIds.alert(rule.id, article.id), 'alert.matched');
    const followUp = alert(jobIds.alert(rule.id, `${story.id}-follow-up`), 'alert.follow_up');
    candidates.push({
      ruleId: rule.id,
      first,
      followUp,
      claim: {
        ruleId: rule.id,
        storyId: story.id,
        followUpDue: rule.follow_up !== undefined && story.sources >= rule.follow_up,
        firstEntry: historyLine(first),
        followUpEntry: historyLine(followUp),
      },
    });
  }
  return candidates;
}

/** The alert's line in the alert history. */
function historyLine(alert: AlertJob): HistoryEntry {
  const { article } = alert;
  return {
    event: 'alert',
    alertId: alert.alertId,
    ruleId: alert.rule.id,
    articleId: article.id,
    title: article.title,
    link: article.link,
    storyId: alert.story?.id,
    channels: alert.channels,
  };
}

/**
 * Given what the claims found per candidate: the alerts to queue, and the rules whose (rule, article)
 * pair is settled once they are queued (everything but what had alerted before).
 */
export function alertsToQueue(
  candidates: readonly AlertCandidate[],
  outcomes: readonly ClaimOutcome[],
): { alerts: AlertJob[]; settled: string[] } {
  const alerts: AlertJob[] = [];
  const settled: string[] = [];
  candidates.forEach((candidate, i) => {
    const outcome = outcomes[i];
    if (outcome === 'first') alerts.push(candidate.first);
    if (outcome === 'follow-up') alerts.push(candidate.followUp);
    if (outcome !== 'alerted-before') settled.push(candidate.ruleId);
  });
  return { alerts, settled };
}
