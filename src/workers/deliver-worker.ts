import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { failedAttempt, retryDelay } from '../alerts/delivery-outcome.js';
import { channelDisabledNotice, channelFailingNotice, channelRecoveredNotice } from '../alerts/notices.js';
import { channelFingerprint } from '../config/channel-fingerprint.js';
import type { PipelineContext } from '../pipeline/context.js';
import { queueNotice } from '../pipeline/notice-deliveries.js';
import { isFinalFailure } from '../queues/failed-jobs.js';
import { QUEUE_NAMES, type DeliveryJob } from '../queues/queues.js';

/** The alerts a delivery carries, for the history: one, a digest's many, or none (a notice). */
const alertIdsOf = ({ message }: DeliveryJob): string[] =>
  message.kind === 'alert' ? [message.alert.alertId] : message.kind === 'digest' ? message.alerts.map((a) => a.alertId) : [''];

/**
 * One attempt to deliver one message to one channel. BullMQ retries failures on the configured
 * schedule; every attempt goes into the alert history; a channel that answers 410 is disabled, and
 * one that keeps failing is reported on the other channels.
 */
export async function processDelivery(job: Job<DeliveryJob>, ctx: PipelineContext): Promise<void> {
  const { channelId, deliveryId, message } = job.data;
  const config = ctx.config();
  const channelConfig = config.channelById.get(channelId);
  const channel = ctx.channels().get(channelId);
  if (!channel || !channelConfig) throw new UnrecoverableError(`channel "${channelId}" is not configured or is disabled`);
  const fingerprint = channelFingerprint(channelConfig);
  const disabled = await ctx.state.channelHealth.disabledReason(channelId, fingerprint);
  if (disabled) throw new UnrecoverableError(`channel "${channelId}" is disabled (${disabled}); change its config to enable it again`);

  const record = (ok: boolean, error?: string) =>
    ctx.state.history.record(
      ...alertIdsOf(job.data).map((alertId) => ({
        event: 'delivery' as const,
        deliveryId,
        alertId,
        channelId,
        kind: message.kind,
        attempt: job.attemptsMade + 1,
        ok,
        error,
      })),
    );
  const started = performance.now();
  try {
    await channel.send(message, deliveryId);
    ctx.metrics.deliveryAttempt(channelId, (performance.now() - started) / 1000);
  } catch (err) {
    ctx.metrics.deliveryAttempt(channelId, (performance.now() - started) / 1000);
    const reason = (err as Error).message;
    await record(false, reason);
    const now = new Date().toISOString();
    const outcome = failedAttempt(err, message);
    if (outcome.disableChannel) {
      await ctx.state.channelHealth.disable(channelId, fingerprint, `receiver answered 410 Gone at ${now}`);
      ctx.log.error(
        { channelId },
        `channel "${channelId}" disabled: its receiver answered 410 Gone. Fix its config (url) to enable it again.`,
      );
      await queueNotice(ctx, channelDisabledNotice(channelId, reason, now));
    }
    if (
      outcome.countsAgainstChannel &&
      (await ctx.state.channelHealth.recordFailure(channelId, reason, config.settings.health.channel_failing_for))
    ) {
      await queueNotice(ctx, channelFailingNotice(channelId, reason, now));
    }
    if (!outcome.retry) throw new UnrecoverableError(reason);
    throw err;
  }
  ctx.metrics.delivery(channelId, 'delivered');
  // The receiver has it: a Redis error from here on must not fail the job, or the retry would send it again.
  try {
    // Independent writes, sent together (the state connection pipelines them into one round trip). Settled
    // one by one: once the health script has cleared `unhealthy`, its recovery notice must go out even if the
    // history write failed, or no later success would send it.
    const [history, first, recovered] = await Promise.allSettled([
      record(true),
      message.kind === 'alert' && ctx.state.alertLedger.firstDelivery(message.alert.alertId),
      ctx.state.channelHealth.recordSuccess(channelId),
    ]);
    if (first.status === 'fulfilled' && first.value && message.kind === 'alert')
      ctx.metrics.alertDelivered(message.alert.article.fetchedAt);
    if (recovered.status === 'fulfilled' && recovered.value) {
      await queueNotice(ctx, channelRecoveredNotice(channelId, new Date().toISOString()));
    }
    const failed = [history, first, recovered].find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (err) {
    ctx.log.warn(
      { deliveryId, channelId, err: (err as Error).message },
      'delivered, but recording it failed: the alert history misses this delivery',
    );
  }
}

export function createDeliveryWorker(ctx: PipelineContext): Worker<DeliveryJob> {
  const worker = new Worker<DeliveryJob>(QUEUE_NAMES.deliveries, (job) => processDelivery(job, ctx), {
    ...ctx.workerOptions(ctx.config().settings.concurrency.deliver),
    settings: {
      backoffStrategy: (attemptsMade, _type, err) => retryDelay(err, attemptsMade, ctx.config().settings.delivery.retry_schedule),
    },
  });
  // Logged with every other failed job (reportFailedJobs); counted here per channel as well.
  worker.on('failed', (job, err) => {
    if (job) ctx.metrics.delivery(job.data.channelId, isFinalFailure(job.attemptsMade, job.opts.attempts, err) ? 'failed' : 'retried');
  });
  return worker;
}
