import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/alerts/delivery-error.js';
import { postJson } from '../../src/alerts/channels/http-post.js';
import { settingsSchema } from '../../src/config/schema.js';
import { fetcherFromSettings } from '../../src/feeds/fetch-once.js';
import { FeedFetcher } from '../../src/feeds/fetch/feed-fetcher.js';
import { FetchError } from '../../src/feeds/fetch/fetch-error.js';
import { createDispatcher, PrivateAddressError, type HostResolver } from '../../src/net/dispatcher.js';
import { rss } from '../support/feed-server.js';

let server: Server;
let port: number;
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    if (req.method === 'POST') return void req.resume().on('end', () => res.writeHead(204).end());
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ guid: 'a', title: 'A', description: 'a' }]));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const guarded = createDispatcher({ denyPrivate: true });
const open = createDispatcher({ denyPrivate: false });
afterAll(async () => Promise.all([guarded.close(), open.close()]));
afterEach(() => {
  requests = 0;
});

const fetcher = (dispatcher = guarded) =>
  new FeedFetcher({ timeoutMs: 5_000, maxBytes: 1 << 20, maxRedirects: 3, userAgent: 'test', dispatcher });

async function fetchError(url: string, f = fetcher()): Promise<FetchError> {
  const err = await f.fetch(url).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}

describe('network.deny_private on', () => {
  it('refuses a literal loopback IP before connecting', async () => {
    const err = await fetchError(`http://127.0.0.1:${port}/feed.xml`);
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(/127\.0\.0\.1 is a private address \(loopback, 127\.0\.0\.0\/8\).*network\.deny_private is on/);
    expect(requests).toBe(0);
  });

  it('refuses a host name after resolving it (localhost)', async () => {
    const err = await fetchError(`http://localhost:${port}/feed.xml`);
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(
      /localhost resolves to (127\.0\.0\.1|::1), which is a private address \(loopback.*network\.deny_private is on/,
    );
    expect(requests).toBe(0);
  });

  it.each(['[::1]', '[::ffff:127.0.0.1]', '0x7f.1', '[::]', '0.0.0.0'])('refuses the literal %s without a lookup', async (host) => {
    const err = await fetchError(`http://${host}:${port}/feed.xml`);
    expect(err.message).toMatch(/is a private address .*network\.deny_private is on/);
    expect(requests).toBe(0);
  });

  it('checks every address a name resolves to, not only the first', async () => {
    const resolve: HostResolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.8', family: 4 },
    ];
    const dispatcher = createDispatcher({ denyPrivate: true, resolve });
    try {
      const err = await fetchError(`http://feeds.example.test:${port}/feed.xml`, fetcher(dispatcher));
      expect(err.message).toContain('feeds.example.test resolves to 10.0.0.8, which is a private address (private, 10.0.0.0/8)');
    } finally {
      await dispatcher.close();
    }
  });

  it('checks each new connection at connect time, so a name that rebinds to a private address is caught', async () => {
    const answers = ['192.168.7.7', '169.254.169.254'];
    let lookups = 0;
    const resolve: HostResolver = async () => [{ address: answers[lookups++]!, family: 4 }];
    const dispatcher = createDispatcher({ denyPrivate: true, resolve });
    try {
      expect((await fetchError(`http://rebind.example.test:${port}/a`, fetcher(dispatcher))).message).toContain('192.168.7.7');
      expect((await fetchError(`http://rebind.example.test:${port}/b`, fetcher(dispatcher))).message).toContain(
        '169.254.169.254, which is a private address (link-local',
      );
      expect(lookups).toBe(2);
    } finally {
      await dispatcher.close();
    }
  });

  it('refuses a webhook to a private address with a non-retryable DeliveryError', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const err = await postJson(`http://${host}:${port}/hook`, '{}', {}, { timeoutMs: 5_000, dispatcher: guarded }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DeliveryError);
      expect((err as DeliveryError).retryable).toBe(false);
      expect((err as DeliveryError).message).toMatch(/private address .*network\.deny_private is on/);
    }
    expect(requests).toBe(0);
  });

  it('is what fetcherFromSettings builds from settings.yaml', async () => {
    const on = fetcherFromSettings(settingsSchema.parse({ network: { deny_private: true } }));
    expect((await fetchError(`http://127.0.0.1:${port}/feed.xml`, on)).message).toContain('network.deny_private is on');
    const off = fetcherFromSettings(settingsSchema.parse({}));
    expect((await off.fetch(`http://127.0.0.1:${port}/feed.xml`)).status).toBe(200);
  });
});

describe('network.deny_private off (the default)', () => {
  it('fetches feeds on loopback by IP and by name', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const result = await fetcher(open).fetch(`http://${host}:${port}/feed.xml`);
      expect(result.notModified ? 304 : result.status).toBe(200);
    }
    expect(requests).toBe(2);
  });

  it('delivers webhooks on loopback', async () => {
    await postJson(`http://127.0.0.1:${port}/hook`, '{}', {}, { timeoutMs: 5_000, dispatcher: open });
    expect(requests).toBe(1);
  });
});

it('PrivateAddressError names host and address', () => {
  const err = new PrivateAddressError('intranet.test', 'fd12::1', { kind: 'unique-local', range: 'fc00::/7' });
  expect(err.message).toBe(
    'intranet.test resolves to fd12::1, which is a private address (unique-local, fc00::/7); refused because network.deny_private is on',
  );
});
