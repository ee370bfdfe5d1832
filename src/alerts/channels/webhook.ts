import { lazyDependency } from '../../lazy-dependency.js';
import type { ChannelConfigOf } from '../../config/fields/channel-fields.js';
import { webhookBody } from '../render.js';
import type { Message } from '../message.js';
import { channelType, type Channel, type RenderedMessage } from './channel.js';
import { postJson, type HttpOptions } from './http-post.js';
import { webhookSchema } from './channel-schemas.js';

const standardWebhooks = lazyDependency<typeof import('standardwebhooks')>('standardwebhooks');

type WebhookChannelConfig = ChannelConfigOf<typeof webhookSchema>;

/** Standard Webhooks headers for one attempt: the id is stable, the timestamp is new each time. */
export function signedHeaders(body: string, deliveryId: string, secrets: readonly string[] = [], now = new Date()): Record<string, string> {
  const headers: Record<string, string> = {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
  };
  if (secrets.length > 0)
    headers['webhook-signature'] = secrets.map((secret) => new (standardWebhooks().Webhook)(secret).sign(deliveryId, now, body)).join(' ');
  return headers;
}

class WebhookChannel implements Channel {
  readonly type = 'webhook';
  readonly id: string;

  constructor(
    private readonly config: WebhookChannelConfig,
    private readonly http: HttpOptions,
  ) {
    this.id = config.id;
  }

  /** The body and content type; configured headers and the signature (secrets, per attempt) are left out. */
  render(message: Message): RenderedMessage {
    return { kind: 'http', url: this.config.url, contentType: 'application/json', headers: {}, body: JSON.stringify(webhookBody(message)) };
  }

  async send(message: Message, deliveryId: string): Promise<void> {
    const body = JSON.stringify(webhookBody(message));
    const headers = { ...this.config.headers, ...signedHeaders(body, deliveryId, this.config.secret) };
    await postJson(this.config.url, body, headers, this.http);
  }
}

/** The generic webhook: the `webhookBody` contract, signed per Standard Webhooks. No templates: the body is a contract. */
export const webhookChannel = channelType(webhookSchema, (config, http) => new WebhookChannel(config, http));
