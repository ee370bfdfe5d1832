import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { DeliveryError } from '../src/alerts/channels/index.js';
import type { PipelineContext } from '../src/pipeline/context.js';
import { jobIds, QUEUE_NAMES, type AlertJob, type DeliveryJob } from '../src/queues/queues.js';
import { backoffDelay } from '../src/schedule/backoff.js';

/** Fans an alert out into one delivery job per channel, so a failing channel never blocks or repeats another. */
export async function processAlert(job: Job<AlertJob>, ctx: PipelineContext): Promise<{ deliveries: number }> {
  const config = ctx.config();
  const { delivery } = config.settings;
  const alert = job.data;
  // Channels disabled by a missing env var are skipped here, not failed one by one later.
  const usable = new Set(config.channels.map((c) => c.id));
  const jobs = alert.channels.filter((id) => usable.has(id)).map((channelId) => {
    const deliveryId = jobIds.delivery(alert.alertId, channelId);
    return {
      name: 'deliver',
      data: { message: { kind: 'alert', alert }, channelId, deliveryId } satisfies DeliveryJob,
      opts: { jobId: deliveryId, attempts: delivery.attempts, backoff: { type: 'jittered', delay: delivery.backoff } },
    };
  });
  await ctx.queues.deliveries.addBulk(jobs);
  return { deliveries: jobs.length };
}

/** One attempt to deliver one alert to one channel; BullMQ retries failures with backoff. */
export async function processDelivery(job: Job<DeliveryJob>, ctx: PipelineContext): Promise<void> {
  const { channelId } = job.data;
  const channel = ctx.channels().get(channelId);
  if (!channel) throw new UnrecoverableError(`channel "${channelId}" is not configured or is disabled`);
  try {
    await channel.send(job.data);
  } catch (err) {
    if (err instanceof DeliveryError && !err.retryable) throw new UnrecoverableError(err.message);
    throw err;
  }
}

/** Retry delay: the receiver's Retry-After when given, else exponential backoff with jitter. */
export function deliveryBackoff(baseMs: number) {
  return (attemptsMade: number, _type?: string, err?: Error): number => {
    const retryAfter = err instanceof DeliveryError ? err.retryAfterMs : undefined;
    return retryAfter ?? backoffDelay(attemptsMade, baseMs, 6 * 3_600_000);
  };
}

export function createAlertWorker(ctx: PipelineContext): Worker<AlertJob> {
  return new Worker<AlertJob>(QUEUE_NAMES.alerts, (job) => processAlert(job, ctx), {
    connection: ctx.workerConnection(),
    prefix: ctx.prefix,
    concurrency: ctx.config().settings.concurrency.match,
  });
}

export function createDeliveryWorker(ctx: PipelineContext): Worker<DeliveryJob> {
  const { concurrency, delivery } = ctx.config().settings;
  const worker = new Worker<DeliveryJob>(QUEUE_NAMES.deliveries, (job) => processDelivery(job, ctx), {
    connection: ctx.workerConnection(),
    prefix: ctx.prefix,
    concurrency: concurrency.deliver,
    settings: { backoffStrategy: deliveryBackoff(delivery.backoff) },
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    const log = ctx.log.child({ jobId: job.id, channelId: job.data.channelId, kind: job.data.message.kind });
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) log.error({ attempts: job.attemptsMade }, `delivery failed for good: ${err.message} (kept in the failed set; replay with "newswatch alerts replay")`);
    else log.warn({ attempt: job.attemptsMade }, `delivery attempt failed, will retry: ${err.message}`);
  });
  return worker;
}
