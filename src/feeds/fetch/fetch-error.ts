export type FetchErrorKind = 'timeout' | 'network' | 'http' | 'too-large' | 'redirects' | 'gone' | 'file';

/** A failed fetch, with what the scheduler needs to decide when to try again. */
export class FetchError extends Error {
  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly status?: number,
    /** From `Retry-After`, when the server gave one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}
