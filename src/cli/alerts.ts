import { Queue } from 'bullmq';
import { parseDuration } from '../config/fields/duration.js';
import { retryFailedJobs, retryHint } from '../queues/failed-jobs.js';
import { jobIds, QUEUE_NAMES, type DeliveryJob } from '../queues/queues.js';
import { AlertHistory, summariseHistory, type AlertSummary } from '../state/alert-history.js';
import { stateKeys } from '../state/keys.js';
import { withCliRedis } from './cli-redis.js';
import { loadConfigOrReport } from './config-dir.js';
import { EXIT } from './exit-codes.js';

export interface AlertsOptions {
  config?: string;
  rule?: string;
  since?: string;
  failed?: boolean;
  json?: boolean;
}

const failedSomewhere = (a: AlertSummary) => Object.values(a.deliveries).some((d) => d.ok === false);

function printAlert(a: AlertSummary): string {
  const channels = Object.entries(a.deliveries)
    .map(
      ([id, d]) =>
        `${id}: ${d.ok === undefined ? 'pending' : d.ok ? 'delivered' : `FAILED (${d.attempts} attempt(s): ${d.lastError ?? ''})`}`,
    )
    .join('\n    ');
  return `${new Date(a.at).toISOString()}  ${a.ruleId}  ${a.title}\n    ${a.link}\n    id ${a.alertId}${a.storyId ? `, story ${a.storyId}` : ''}\n    ${channels}\n`;
}

/** `newswatch alerts`: recent alerts with their deliveries, from the history stream in Redis. */
export async function alertsCommand(opts: AlertsOptions): Promise<number> {
  const config = loadConfigOrReport(opts.config);
  if (!config) return EXIT.error;
  const sinceMs = parseDuration(opts.since ?? '24h');
  if (sinceMs === undefined) {
    process.stderr.write(`newswatch alerts: --since "${opts.since}" is not a duration (e.g. 2h, 30m, 7d)\n`);
    return EXIT.error;
  }
  return withCliRedis(config, 'newswatch alerts', async (redis) => {
    const history = new AlertHistory(redis, stateKeys(config.settings.redis.prefix), config.settings.alerts.history);
    const alerts = summariseHistory(await history.since(Date.now() - sinceMs))
      .filter((a) => !opts.rule || a.ruleId === opts.rule)
      .filter((a) => !opts.failed || failedSomewhere(a));
    if (opts.json) process.stdout.write(`${JSON.stringify(alerts, null, 2)}\n`);
    else process.stdout.write(`${alerts.map(printAlert).join('\n')}${alerts.length} alert(s) in the last ${opts.since ?? '24h'}\n`);
    return EXIT.ok;
  });
}

/**
 * `newswatch alerts replay ID|--failed`: sends deliveries again with their original delivery id, so
 * receivers see the same `webhook-id` and can drop what they already have.
 */
export async function replayCommand(id: string | undefined, opts: { config?: string; failed?: boolean }): Promise<number> {
  if (!id === !opts.failed) {
    process.stderr.write('newswatch alerts replay: give an alert id or --failed\n');
    return EXIT.error;
  }
  const config = loadConfigOrReport(opts.config);
  if (!config) return EXIT.error;
  return withCliRedis(config, 'newswatch alerts replay', async (redis) => {
    const queue = new Queue<DeliveryJob>(QUEUE_NAMES.deliveries, { connection: redis, prefix: config.settings.redis.prefix });
    try {
      return await replayDeliveries(
        queue,
        id,
        opts.failed === true,
        config.channels.map((c) => c.id),
      );
    } finally {
      await queue.close();
    }
  });
}

/** Failed jobs are retried in place; delivered ones are queued again under a new job id with the same delivery id. */
async function replayDeliveries(queue: Queue<DeliveryJob>, id: string | undefined, failed: boolean, channelIds: string[]): Promise<number> {
  const say = (job: { data: DeliveryJob }) => process.stdout.write(`replaying ${job.data.deliveryId} to ${job.data.channelId}\n`);
  if (failed) {
    const retried = await retryFailedJobs(queue, say);
    if (retried === 0)
      process.stdout.write(`no failed deliveries (failed article and alert jobs: "${retryHint('articles')}", "${retryHint('alerts')}")\n`);
    return retried > 0 ? EXIT.ok : EXIT.negative;
  }
  const jobs = (
    await Promise.all(channelIds.map((channelId) => queue.getJob(id!.includes('-to-') ? id! : jobIds.delivery(id!, channelId))))
  ).filter((j) => j !== undefined);
  const unique = [...new Map(jobs.map((j) => [j.id, j])).values()];
  for (const job of unique) {
    // A replay gets the whole retry schedule again, not only the attempts left.
    if (await job.isFailed()) await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    else await queue.add(job.name, job.data, { ...job.opts, jobId: `${job.data.deliveryId}-replay-${Date.now()}` });
    say(job);
  }
  if (unique.length === 0)
    process.stdout.write(`no deliveries found for "${id}" (deliveries are kept 7 days, failed ones until replayed)\n`);
  return unique.length > 0 ? EXIT.ok : EXIT.negative;
}
