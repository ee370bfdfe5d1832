import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { webhookSchema } from '../../../src/alerts/channels/channel-schemas.js';
import { signedHeaders } from '../../../src/alerts/channels/webhook.js';

const NEW = `whsec_${Buffer.from('the new secret, thirty-two bytes').toString('base64')}`;
const OLD = `whsec_${Buffer.from('the old secret, thirty-two bytes').toString('base64')}`;
const body = JSON.stringify({ type: 'alert.matched', data: {} });

describe('Standard Webhooks signatures', () => {
  it('signs id.timestamp.body so a receiver with the secret verifies it', () => {
    const headers = signedHeaders(body, 'alert-r-a-to-hook', [NEW]);
    expect(headers['webhook-id']).toBe('alert-r-a-to-hook');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(() => new Webhook(NEW).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(OLD).verify(body, headers)).toThrow();
  });

  it('signs with every secret while rotating, so receivers holding either one verify', () => {
    const { secret } = webhookSchema.parse({ type: 'webhook', url: 'https://hooks.test/x', secret: `${NEW} ${OLD}` });
    expect(secret).toEqual([NEW, OLD]);
    const headers = signedHeaders(body, 'd1', secret);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(NEW).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(OLD).verify(body, headers)).not.toThrow();
  });

  it('sends no signature without a secret, and rejects a malformed one at load', () => {
    expect(signedHeaders(body, 'd1')['webhook-signature']).toBeUndefined();
    expect(webhookSchema.safeParse({ type: 'webhook', url: 'https://hooks.test/x', secret: 'not base64!' }).success).toBe(false);
  });
});
