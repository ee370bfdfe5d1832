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

/** Runs a rendering step; one that throws (a template failing) would fail the same way on every retry. */
export function renderOrFail<T>(render: () => T): T {
  try {
    return render();
  } catch (err) {
    throw new DeliveryError((err as Error).message, false);
  }
}
