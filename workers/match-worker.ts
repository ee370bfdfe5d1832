import { Worker, type Job } from 'bullmq';
import type { PipelineContext } from '../src/pipeline/context.js';
import { jobIds, QUEUE_NAMES, type AlertJob, type ArticleJob } from '../src/queues/queues.js';

/**
 * Matches one article against every enabled rule and queues one alert per match. The alert ledger,
 * not BullMQ retention, is what guarantees a rule alerts on an article once.
 */
export async function processArticle(job: Job<ArticleJob>, ctx: PipelineContext): Promise<{ alerts: number }> {
  const config = ctx.config();
  const { article } = job.data;
  const feed = config.feeds.find((f) => f.id === article.feedId);
  const matches = config.ruleSet.match(article, { feedTags: feed?.tags ?? [], now: Date.now() });
  let alerts = 0;
  for (const match of matches) {
    const rule = config.rules.find((r) => r.id === match.ruleId);
    if (!rule || (await ctx.state.alerts.hasAlerted(rule.id, article.id))) continue;
    const alertId = jobIds.alert(rule.id, article.id);
    const alert: AlertJob = {
      alertId,
      event: 'alert.matched',
      rule: { id: rule.id, name: rule.name, severity: rule.severity, labels: rule.labels },
      channels: rule.channels,
      article,
      match,
      matchedAt: new Date().toISOString(),
    };
    await ctx.queues.alerts.add('alert', alert, { jobId: alertId });
    await ctx.state.alerts.record(rule.id, article.id);
    ctx.log.info({ ruleId: rule.id, articleId: article.id, matched: match.matched }, `match: ${article.title}`);
    alerts++;
  }
  return { alerts };
}

export function createMatchWorker(ctx: PipelineContext): Worker<ArticleJob> {
  return new Worker<ArticleJob>(QUEUE_NAMES.articles, (job) => processArticle(job, ctx), {
    connection: ctx.workerConnection(),
    prefix: ctx.prefix,
    concurrency: ctx.config().settings.concurrency.match,
  });
}
