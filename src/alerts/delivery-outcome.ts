import { DeliveryError } from './delivery-error.js';
import type { Message } from './message.js';

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
