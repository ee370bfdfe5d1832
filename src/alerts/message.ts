import type { AlertJob } from './alert.js';

/**
 * What a channel is asked to deliver. Channels render all three kinds; the generic webhook sends
 * `webhookBody(message)` as is, presets turn `messageContent(message)` into their own shapes.
 */
export type Message = AlertMessage | DigestMessage | NoticeMessage;

export interface AlertMessage {
  kind: 'alert';
  alert: AlertJob;
}

/** Why alerts were collected into one message: a digest schedule, a throttle overflow, or the end of a mute window. */
export type DigestReason = 'digest' | 'throttle' | 'mute';

/** Several alerts in one message. */
export interface DigestMessage {
  kind: 'digest';
  reason: DigestReason;
  alerts: AlertJob[];
  timestamp: string;
}

/** Something about newswatch itself people must know: a feed or channel stopped (or started again) working. */
export interface NoticeMessage {
  kind: 'notice';
  notice: Notice;
}

type NoticeType = 'feed.unhealthy' | 'feed.recovered' | 'feed.gone' | 'channel.unhealthy' | 'channel.recovered';

export interface Notice {
  type: NoticeType;
  title: string;
  text: string;
  timestamp: string;
  /** The feed or channel concerned. */
  subject: { kind: 'feed' | 'channel'; id: string };
  details: Record<string, string | number | undefined>;
}
