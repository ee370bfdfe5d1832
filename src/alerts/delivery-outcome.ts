import { DeliveryError } from './delivery-error.js';
import type { Message } from './message.js';
import { scheduledRetryDelay } from '../retry/backoff.js';

/** What a failed delivery attempt means for its channel and its job. */
export interface FailedAttempt {
  /** The receiver answered 410 Gone: disable the channel until its config changes. */
  disableChannel: boolean;
  /** Counts towards the channel being reported unhealthy (`health.channel_failing_for`). */
  countsAgainstChannel: boolean;
  /** Worth another attempt on the retry schedule. */
  retry: boolean;
}

export function failedAttempt(err: unknown, message: Message): FailedAttempt {
  if (err instanceof DeliveryError && err.status === 410) return { disableChannel: true, countsAgainstChannel: false, retry: false };
  return {
    disableChannel: false,
    // Only alerts and digests count: a failing notice must not set off further notices.
    countsAgainstChannel: message.kind !== 'notice',
    // A 4xx other than 408/429, or a template that fails, fails the same way on every retry.
    retry: !(err instanceof DeliveryError && !err.retryable),
  };
}

/**
 * How long before retry number `attemptsMade` (1-based): the receiver's own Retry-After when it sent
 * one, else the configured schedule's entry with jitter. The deliver worker hands it to BullMQ as its
 * backoff strategy.
 */
export function retryDelay(err: unknown, attemptsMade: number, schedule: readonly number[], random?: () => number): number {
  const retryAfter = err instanceof DeliveryError ? err.retryAfterMs : undefined;
  return retryAfter ?? scheduledRetryDelay(schedule, attemptsMade, random);
}
