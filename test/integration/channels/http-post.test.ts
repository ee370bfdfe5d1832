import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/alerts/delivery-error.js';
import { postJson } from '../../../src/alerts/channels/http-post.js';

describe('postJson', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  async function receiver(answer: (res: import('node:http').ServerResponse) => void): Promise<string> {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => answer(res));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  }

  it('gives up on a receiver that never answers after timeoutMs: a retryable failure that says so', async () => {
    const url = await receiver(() => {});
    const err = await postJson(url, '{}', {}, { timeoutMs: 300 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).retryable).toBe(true);
    expect((err as DeliveryError).message).toMatch(/no answer within 0\.3 s$/);
  });

  it('delivers to a receiver that answers in time, attempt after attempt', async () => {
    let answered = 0;
    const url = await receiver((res) => (answered++, res.writeHead(204).end()));
    for (let i = 0; i < 20; i++) await postJson(url, '{}', {}, { timeoutMs: 2_000 });
    expect(answered).toBe(20);
  });
});
