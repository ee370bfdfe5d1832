import { Worker, type Job } from 'bullmq';
import type { RuleConfig } from '../src/config/schema.js';
import { articleFacts } from '../src/facts/article-facts.js';
import { newFacts } from '../src/facts/extract-facts.js';
import type { Article } from '../src/feeds/article.js';
import type { PipelineContext } from '../src/pipeline/context.js';
import { jobIds, QUEUE_NAMES, type AlertJob, type ArticleJob, type StoryRef } from '../src/queues/queues.js';
import type { RuleMatch } from '../src/rules/rule-set.js';

/**
 * Matches one article against every enabled rule. Per rule, the first article of a story alerts;
 * later copies only join the story (and may trigger the rule's one follow-up). The alert ledger and
 * story claims, not BullMQ retention, are what keep a rule from alerting twice.
 */
export async function processArticle(job: Job<ArticleJob>, ctx: PipelineContext): Promise<{ alerts: number }> {
  const config = ctx.config();
  const { article } = job.data;
  const feed = config.feedById.get(article.feedId);
  const started = performance.now();
  const hits = config.ruleSet.match(article, {
    feedTags: feed?.tags ?? [],
    now: Date.now(),
    onRuleError: ({ ruleId, error, count }) => {
      ctx.metrics.ruleFailed(ruleId);
      if (count > 1) return;
      ctx.log.error({ ruleId, err: String(error) }, `rule ${ruleId} failed while matching and is skipped; other rules still match (logged once per config load)`);
    },
  });
  ctx.metrics.articleMatched((performance.now() - started) / 1000);
  for (const hit of hits) ctx.metrics.ruleMatched(hit.ruleId);
  if (hits.length === 0) return { alerts: 0 };
  const story = await ctx.state.stories.assign(article);
  let alerts = 0;
  for (const hit of hits) {
    const rule = config.ruleById.get(hit.ruleId);
    if (!rule || (await ctx.state.alerts.hasAlerted(rule.id, article.id))) continue;
    // Explanations cost more than matching: only for matches that may alert.
    const match = hit.explain();
    const log = ctx.log.child({ ruleId: rule.id, articleId: article.id, storyId: story.id });
    const facts = articleFacts(article, match);
    if (await ctx.state.stories.claim(rule.id, story.id, article.id, 'first')) {
      await ctx.state.storyFacts.remember(rule.id, story.id, facts);
      await queueAlert(ctx, { ...alertJob(jobIds.alert(rule.id, article.id), 'alert.matched', rule, article, match, story), facts });
      log.info({ matched: match.matched }, `match: ${article.title}`);
      alerts++;
    } else {
      log.info({ sources: story.sources }, `same story as an earlier alert, not alerting again: ${article.title}`);
      if (rule.follow_up && story.sources >= rule.follow_up && (await ctx.state.stories.claim(rule.id, story.id, article.id, 'follow'))) {
        const added = newFacts(await ctx.state.storyFacts.recall(rule.id, story.id), facts);
        await queueAlert(ctx, { ...alertJob(jobIds.alert(rule.id, `${story.id}-follow-up`), 'alert.follow_up', rule, article, match, story), facts, newFacts: added });
        alerts++;
      }
    }
    await ctx.state.alerts.record(rule.id, article.id);
  }
  return { alerts };
}

function alertJob(alertId: string, event: AlertJob['event'], rule: RuleConfig, article: Article, match: RuleMatch, story: StoryRef): AlertJob {
  return {
    alertId,
    event,
    rule: { id: rule.id, name: rule.name, severity: rule.severity, labels: rule.labels },
    channels: rule.channels,
    article,
    match,
    matchedAt: new Date().toISOString(),
    story: { id: story.id, sources: story.sources, links: story.links },
  };
}

async function queueAlert(ctx: PipelineContext, alert: AlertJob): Promise<void> {
  await ctx.queues.alerts.add('alert', alert, { jobId: alert.alertId });
  ctx.metrics.alertQueued(alert.rule.id, alert.event);
  const { article } = alert;
  await ctx.state.history.record({ event: 'alert', alertId: alert.alertId, ruleId: alert.rule.id, articleId: article.id, title: article.title, link: article.link, storyId: alert.story?.id, channels: alert.channels });
}

export function createMatchWorker(ctx: PipelineContext): Worker<ArticleJob> {
  return new Worker<ArticleJob>(QUEUE_NAMES.articles, (job) => processArticle(job, ctx), ctx.workerOptions(ctx.config().settings.concurrency.match));
}
