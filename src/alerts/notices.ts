import { maskUrl } from '../log/logger.js';
import type { Notice } from './message.js';

/**
 * The notices newswatch sends about itself, and when a feed's health warrants one. Pure: the workers
 * record what happened in Redis, then ask here what (if anything) to tell people.
 */

interface FeedRef {
  id: string;
  url: string;
}

/** A feed answered 410 Gone: it is disabled until its url changes. */
export function feedGoneNotice(feed: FeedRef, reason: string, timestamp: string): Notice {
  return {
    type: 'feed.gone',
    title: `Feed ${feed.id} is gone (410) and was disabled`,
    text: reason,
    timestamp,
    subject: { kind: 'feed', id: feed.id },
    details: { url: maskUrl(feed.url, true) },
  };
}

/** Once per run of failures: when the failures in a row reach the threshold (`health.feed_failures`). */
export function feedFailureNotice(
  feed: FeedRef,
  failures: number,
  error: string,
  threshold: number,
  timestamp: string,
): Notice | undefined {
  if (failures !== threshold) return undefined;
  return {
    type: 'feed.unhealthy',
    title: `Feed ${feed.id} has failed ${failures} times in a row`,
    text: `Last error: ${error}. newswatch keeps retrying with backoff.`,
    timestamp,
    subject: { kind: 'feed', id: feed.id },
    details: { url: maskUrl(feed.url, true), failures, error },
  };
}

/** After a successful fetch: a recovery notice when the feed had failed often enough to be reported. */
export function feedRecoveryNotice(feed: FeedRef, failuresBefore: number, threshold: number, timestamp: string): Notice | undefined {
  if (failuresBefore < threshold) return undefined;
  return {
    type: 'feed.recovered',
    title: `Feed ${feed.id} works again`,
    text: `After ${failuresBefore} failures, ${feed.id} was fetched successfully.`,
    timestamp,
    subject: { kind: 'feed', id: feed.id },
    details: { url: maskUrl(feed.url, true) },
  };
}

/** A channel's receiver answered 410 Gone: the channel is disabled until its config changes. */
export function channelDisabledNotice(channelId: string, reason: string, timestamp: string): Notice {
  return {
    type: 'channel.unhealthy',
    title: `Channel ${channelId} disabled: receiver answered 410 Gone`,
    text: reason,
    timestamp,
    subject: { kind: 'channel', id: channelId },
    details: { reason },
  };
}

/** A channel has kept failing for `health.channel_failing_for`. */
export function channelFailingNotice(channelId: string, reason: string, timestamp: string): Notice {
  return {
    type: 'channel.unhealthy',
    title: `Channel ${channelId} has been failing`,
    text: `Deliveries to ${channelId} keep failing: ${reason}`,
    timestamp,
    subject: { kind: 'channel', id: channelId },
    details: { reason },
  };
}

export function channelRecoveredNotice(channelId: string, timestamp: string): Notice {
  return {
    type: 'channel.recovered',
    title: `Channel ${channelId} works again`,
    text: `Deliveries to ${channelId} succeed again.`,
    timestamp,
    subject: { kind: 'channel', id: channelId },
    details: {},
  };
}
