import type { HttpOptions } from './http-post.js';
import type { z } from 'zod';
import type { ChannelConfigOf } from '../../config/schema.js';
import type { DeliveryJob } from '../../queues/queues.js';
import type { Message } from '../message.js';
import type { MessageContent } from '../render.js';
import { templatedContent, type ChannelTemplates } from '../templates.js';

/** One way of telling people about an alert. Adding a channel type is one file implementing this. */
export interface Channel {
  readonly id: string;
  readonly type: string;
  send(delivery: DeliveryJob): Promise<void>;
  /** Releases pooled connections when the config that made this channel is replaced. */
  close?(): Promise<void>;
}

/**
 * A channel type as the registry knows it: its own config fields (the common ones, `channelBase`,
 * are added by the config schema) and how to build a channel from a validated config.
 */
export interface ChannelType<S extends z.ZodObject> {
  schema: S;
  create(config: ChannelConfigOf<S>, http: HttpOptions): Channel;
}

export function channelType<S extends z.ZodObject>(schema: S, create: (config: ChannelConfigOf<S>, http: HttpOptions) => Channel): ChannelType<S> {
  return { schema, create };
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

/** Runs a rendering step; one that throws (a template failing) would fail the same way on every retry. */
export function renderOrFail<T>(render: () => T): T {
  try {
    return render();
  } catch (err) {
    throw new DeliveryError((err as Error).message, false);
  }
}

/** The content a channel sends, templates applied. */
export function channelContent(message: Message, templates: ChannelTemplates): MessageContent {
  return renderOrFail(() => templatedContent(message, templates));
}

/** Cuts text to `max` characters (code points), marking the cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
