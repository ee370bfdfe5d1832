import { Worker, type Job } from 'bullmq';
import type { RuleConfig } from '../src/config/schema.js';
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
  const matches = config.ruleSet.match(article, { feedTags: feed?.tags ?? [], now: Date.now() });
  if (matches.length === 0) return { alerts: 0 };
  const story = await ctx.state.stories.assign(article);
  let alerts = 0;
  for (const match of matches) {
    const rule = config.ruleById.get(match.ruleId);
    if (!rule || (await ctx.state.alerts.hasAlerted(rule.id, article.id))) continue;
    const log = ctx.log.child({ ruleId: rule.id, articleId: article.id, storyId: story.id });
    if (await ctx.state.stories.claim(rule.id, story.id, article.id, 'first')) {
      await queueAlert(ctx, alertJob(jobIds.alert(rule.id, article.id), 'alert.matched', rule, article, match, story));
      log.info({ matched: match.matched }, `match: ${article.title}`);
      alerts++;
    } else {
      log.info({ sources: story.sources }, `same story as an earlier alert, not alerting again: ${article.title}`);
      if (rule.follow_up && story.sources >= rule.follow_up && (await ctx.state.stories.claim(rule.id, story.id, article.id, 'follow'))) {
        await queueAlert(ctx, alertJob(jobIds.alert(rule.id, `${story.id}-follow-up`), 'alert.follow_up', rule, article, match, story));
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
  const { article } = alert;
  await ctx.state.history.record({ event: 'alert', alertId: alert.alertId, ruleId: alert.rule.id, articleId: article.id, title: article.title, link: article.link, storyId: alert.story?.id, channels: alert.channels });
}

export function createMatchWorker(ctx: PipelineContext): Worker<ArticleJob> {
  return new Worker<ArticleJob>(QUEUE_NAMES.articles, (job) => processArticle(job, ctx), ctx.workerOptions(ctx.config().settings.concurrency.match));
}
