import { Worker, type Job, type Queue } from 'bullmq';
import { newFacts } from '../facts/extract-facts.js';
import type { AlertJob } from '../alerts/alert.js';
import { alertCandidates, alertsToHandOn } from '../pipeline/article-alerts.js';
import { dispatchAlert } from '../pipeline/alert-dispatch.js';
import type { PipelineContext } from '../pipeline/context.js';
import type { Article } from '../articles/article.js';
import { addJobs, jobBatcher } from '../queues/job-batcher.js';
import { jobArticle, jobArticles, QUEUE_NAMES, singleArticleJob, type ArticleJob, type MatchJob } from '../queues/queues.js';

/**
 * Matches one article against every enabled rule. Per rule, the first article of a story alerts; later
 * copies only join the story (and may trigger the rule's one follow-up). The alert ledger and
 * story claims, not BullMQ retention, are what keep a rule from alerting twice.
 */
export async function processArticle(job: Job<ArticleJob>, ctx: PipelineContext, handoff: AlertHandoff): Promise<{ alerts: number }> {
  return matchArticle(jobArticle(job.data), ctx, handoff);
}

/**
 * A match job of either shape. A batch's articles are matched side by side (their Redis steps go out
 * together); each one that fails goes on as its own article job, with the usual retries, and the rest
 * of the batch completes. Only when that cannot be queued either does the batch fail and run again,
 * which alerts nothing twice: what each article alerted is in the ledger.
 */
export async function processMatchJob(
  job: Job<MatchJob>,
  ctx: PipelineContext,
  handoff: AlertHandoff,
): Promise<{ alerts: number; requeued?: number }> {
  if (!('articles' in job.data)) return processArticle(job as Job<ArticleJob>, ctx, handoff);
  const articles = jobArticles(job.data);
  const articlesQueue = ctx.queues.articles as Queue;
  // A batch that lost its worker (kill -9, out of memory) may hold the article that brought it down: run
  // whole again, it would take the other articles with it into the failed set. Each goes on alone instead.
  if (job.stalledCounter > 0) {
    await addJobs(articlesQueue, articles.map(singleArticleJob));
    ctx.log.warn(
      { jobId: job.id, feedId: articles[0]?.feedId, articles: articles.length },
      'a batch that lost its worker runs no more as a batch: its articles go on as their own jobs',
    );
    return { alerts: 0, requeued: articles.length };
  }
  const outcomes = await Promise.allSettled(articles.map((article) => matchArticle(article, ctx, handoff)));
  let alerts = 0;
  const failed: Array<{ article: Article; reason: unknown }> = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') alerts += outcome.value.alerts;
    else failed.push({ article: articles[i]!, reason: outcome.reason });
  });
  if (failed.length === 0) return { alerts };
  // Queued before the failures are logged, so each line says what became of its article.
  const notQueued = await addJobs(
    articlesQueue,
    failed.map(({ article }) => singleArticleJob(article)),
  ).then(
    () => undefined,
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  );
  for (const { article, reason } of failed) {
    // Counted as the failed attempt it would be in a job of its own, so failures inside batches still show.
    ctx.metrics.jobFailed(QUEUE_NAMES.articles, false);
    ctx.log.warn(
      { jobId: job.id, articleId: article.id, feedId: article.feedId, err: String(reason) },
      notQueued
        ? `article failed in its batch and could not go on as its own job (${notQueued.message}): the batch runs again`
        : 'article failed in its batch: it goes on as its own job and is retried there',
    );
  }
  if (notQueued) throw notQueued;
  return { alerts, requeued: failed.length };
}

async function matchArticle(article: Article, ctx: PipelineContext, handoff: AlertHandoff): Promise<{ alerts: number }> {
  const config = ctx.config();
  const feed = config.feedById.get(article.feedId);
  const started = performance.now();
  const hits = config.ruleSet.match(article, {
    feedTags: feed?.tags ?? [],
    now: Date.now(),
    onRuleError: ({ ruleId, error, count }) => {
      ctx.metrics.ruleFailed(ruleId);
      if (count > 1) return;
      ctx.log.error(
        { ruleId, err: String(error) },
        `rule ${ruleId} failed while matching and is skipped; other rules still match (logged once per config load)`,
      );
    },
  });
  ctx.metrics.articleMatched((performance.now() - started) / 1000);
  for (const hit of hits) ctx.metrics.ruleMatched(hit.ruleId);
  if (hits.length === 0) return { alerts: 0 };
  const story = await ctx.state.stories.assign(article);
  const candidates = alertCandidates(article, story, hits, config.ruleById, new Date());
  const outcomes = await ctx.state.alertLedger.claim(
    article.id,
    candidates.map((c) => c.claim),
  );
  const { alerts, settled } = alertsToHandOn(candidates, outcomes);
  const handOn = (alert: AlertJob) =>
    handoff === 'dispatch'
      ? // A retry dispatches again: routes stored (and buffered) once and delivery job ids make that a no-op.
        dispatchAlert(ctx, alert)
      : // Same job id on a retry: BullMQ keeps one job per alert. A batch's alerts go to Redis together.
        jobBatcher(ctx.queues.alerts as Queue).add('alert', alert, { jobId: alert.alertId });
  await Promise.all(
    alerts.map(async (alert) => {
      // The first alert's facts are kept for the story's follow-up, which says what is new.
      if (alert.event === 'alert.follow_up')
        alert.newFacts = newFacts(await ctx.state.storyFacts.recall(alert.rule.id, story.id), alert.facts ?? []);
      await Promise.all([
        alert.event === 'alert.matched' && ctx.state.storyFacts.remember(alert.rule.id, story.id, alert.facts ?? []),
        handOn(alert),
      ]);
    }),
  );
  for (const alert of alerts) ctx.metrics.alertQueued(alert.rule.id, alert.event);
  await ctx.state.alertLedger.record(settled, article.id);
  const alertOf = new Map(alerts.map((alert) => [alert.rule.id, alert]));
  candidates.forEach((c, i) => {
    // The same fields a child logger would carry, without making one per line.
    const about = { ruleId: c.ruleId, articleId: article.id, storyId: story.id };
    if (outcomes[i] === 'first') ctx.log.info({ ...about, matched: alertOf.get(c.ruleId)!.match.matched }, `match: ${article.title}`);
    if (outcomes[i] === 'follow-up')
      ctx.log.info({ ...about, sources: story.sources }, `follow-up: the story now has ${story.sources} sources: ${article.title}`);
    if (outcomes[i] === 'story-alerted')
      ctx.log.info({ ...about, sources: story.sources }, `same story as an earlier alert, not alerting again: ${article.title}`);
  });
  return { alerts: alerts.length };
}

/**
 * How a match job hands on its alerts: `dispatch` routes them itself (the process runs the deliver role,
 * so its config has the channels that process delivers on), one queue hop fewer; `queue` puts them on the
 * alerts queue for a process with the deliver role.
 */
export type AlertHandoff = 'dispatch' | 'queue';

export function createMatchWorker(ctx: PipelineContext, handoff: AlertHandoff): Worker<MatchJob> {
  return new Worker<MatchJob>(
    QUEUE_NAMES.articles,
    (job) => processMatchJob(job, ctx, handoff),
    ctx.workerOptions(ctx.config().settings.concurrency.match),
  );
}
