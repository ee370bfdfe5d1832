/** Why a body could not be turned into a feed; callers log it and record it in the feed's health. */
export type FeedParseErrorCode = 'empty' | 'not-a-feed' | 'malformed-xml' | 'malformed-json' | 'encoding' | 'too-large' | 'too-many-items';

/** The only error `parseFeed` throws: a code to branch on and a message a person can act on. */
export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
  constructor(
    readonly code: FeedParseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
