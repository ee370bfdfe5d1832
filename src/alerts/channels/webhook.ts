import { request } from 'undici';
import { Webhook } from 'standardwebhooks';
import type { WebhookChannelConfig } from '../../config/schema.js';
import { parseRetryAfter } from '../../feeds/fetch/fetch-error.js';
import { maskUrl } from '../../log/logger.js';
import type { DeliveryJob } from '../../queues/queues.js';
import { webhookBody } from '../render.js';
import { classifyHttpStatus, DeliveryError, type Channel } from './channel.js';

/** Standard Webhooks headers for one attempt: the id is stable, the timestamp is new each time. */
export function signedHeaders(body: string, deliveryId: string, secret: string | undefined, now = new Date()): Record<string, string> {
  const headers: Record<string, string> = {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
  };
  if (secret) headers['webhook-signature'] = new Webhook(secret).sign(deliveryId, now, body);
  return headers;
}

/** POSTs a JSON body; any non-2xx (redirects included) is a failed attempt. */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  const target = maskUrl(url);
  let res;
  try {
    res = await request(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'newswatch/0.1', ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { code?: string };
    throw new DeliveryError(`${target}: ${e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.code ?? e.message)}`, true);
  }
  await res.body.dump();
  const failure = classifyHttpStatus(res.statusCode, target, parseRetryAfter(res.headers['retry-after']));
  if (failure) throw failure;
}

export class WebhookChannel implements Channel {
  readonly type = 'webhook';
  readonly id: string;

  constructor(
    private readonly config: WebhookChannelConfig,
    private readonly timeoutMs: number,
  ) {
    this.id = config.id;
  }

  async send(delivery: DeliveryJob): Promise<void> {
    const body = JSON.stringify(webhookBody(delivery.message));
    const headers = { ...this.config.headers, ...signedHeaders(body, delivery.deliveryId, this.config.secret) };
    await postJson(this.config.url, body, headers, this.timeoutMs);
  }
}
