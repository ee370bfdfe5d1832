import type { DeliveryJob } from '../../queues/queues.js';

/** One way of telling people about an alert. Adding a channel type is one file implementing this. */
export interface Channel {
  readonly id: string;
  readonly type: string;
  send(delivery: DeliveryJob): Promise<void>;
  /** Releases pooled connections when the config that made this channel is replaced. */
  close?(): Promise<void>;
}

/**
 * A failed attempt. `retryable: false` stops retries at once (a 4xx other than 408/429 will not get
 * better by trying again); `retryAfterMs` carries the receiver's own wish.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** HTTP answer -> retry decision, shared by every HTTP-based channel. */
export function classifyHttpStatus(status: number, target: string, retryAfterMs?: number): DeliveryError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const retryable = status === 408 || status === 429 || status >= 500 || (status >= 300 && status < 400);
  const why = status >= 300 && status < 400 ? ' (redirects are not followed for webhooks)' : '';
  return new DeliveryError(`${target} answered HTTP ${status}${why}`, retryable, retryAfterMs, status);
}
