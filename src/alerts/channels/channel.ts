import type { HttpOptions } from './http-post.js';
import type { ViewSettings } from '../view-model.js';
import type { z } from 'zod';
import type { ChannelConfigOf } from '../../config/fields/channel-fields.js';
import type { Message } from '../message.js';

/** What a channel would send for a message, without sending it (`newswatch preview`, payload tests). */
export type RenderedMessage =
  | { kind: 'http'; url: string; contentType: string; headers: Record<string, string>; body: string }
  | { kind: 'email'; subject: string; text: string; html: string }
  | { kind: 'text'; text: string };

/** One way of telling people about an alert. Adding a channel type is one file implementing this. */
export interface Channel {
  readonly id: string;
  readonly type: string;
  /** Pure: what `send` would deliver. Throws DeliveryError when a template fails. */
  render(message: Message): RenderedMessage;
  /** `deliveryId` is the idempotency key the receiver sees on every attempt (`webhook-id`). */
  send(message: Message, deliveryId: string): Promise<void>;
  /** Releases pooled connections when the config that made this channel is replaced. */
  close?(): Promise<void>;
}

/** What every channel of one config generation shares: HTTP options, and how people read times and links. */
export interface ChannelEnv extends HttpOptions {
  view?: ViewSettings;
}

/**
 * A channel type as the registry knows it: its own config fields (the common ones, `channelBase`,
 * are added by the config schema) and how to build a channel from a validated config.
 */
export interface ChannelType<S extends z.ZodObject> {
  schema: S;
  create(config: ChannelConfigOf<S>, env: ChannelEnv): Channel;
}

export function channelType<S extends z.ZodObject>(
  schema: S,
  create: (config: ChannelConfigOf<S>, env: ChannelEnv) => Channel,
): ChannelType<S> {
  return { schema, create };
}
