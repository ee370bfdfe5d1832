import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedFetcher, type FetcherOptions, type FetchResult } from '../../src/feeds/fetch/feed-fetcher.js';
import { FetchError } from '../../src/feeds/fetch/fetch-error.js';
import { parseFeed } from '../../src/feeds/parse/index.js';
import { rss } from '../support/feed-server.js';

const FEED = rss([{ guid: 'g1', title: 'Troops reach Kursk', description: 'A wire report.' }]);
const MiB = 1024 * 1024;

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** One real loopback server per case; returns its origin. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function fetcher(opts: Partial<FetcherOptions> = {}): FeedFetcher {
  return new FeedFetcher({ timeoutMs: 5_000, maxBytes: MiB, maxRedirects: 5, userAgent: 'newswatch-test', ...opts });
}

async function fetchError(promise: Promise<FetchResult>): Promise<FetchError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}

function body(result: FetchResult): string {
  if (result.notModified) throw new Error('expected a body, got 304');
  return result.body.toString('utf8');
}

describe('conditional GET', () => {
  it('sends the ETag back as If-None-Match and reads 304 as not modified', async () => {
    const seen: Array<string | undefined> = [];
    const origin = await serve((req, res) => {
      seen.push(req.headers['if-none-match']);
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
      res.writeHead(200, { etag: '"v1"', 'content-type': 'application/rss+xml' }).end(FEED);
    });
    const f = fetcher();
    const first = await f.fetch(`${origin}/feed.xml`);
    expect(first).toMatchObject({ notModified: false, status: 200, etag: '"v1"' });
    const second = await f.fetch(`${origin}/feed.xml`, { etag: first.etag });
    expect(second).toEqual({ notModified: true, status: 304, etag: '"v1"', lastModified: undefined });
    expect(seen).toEqual([undefined, '"v1"']);
  });

  it('sends Last-Modified back as If-Modified-Since and keeps it across a 304 that omits it', async () => {
    const lastModified = 'Wed, 21 Oct 2026 07:28:00 GMT';
    const seen: Array<string | undefined> = [];
    const origin = await serve((req, res) => {
      seen.push(req.headers['if-modified-since']);
      if (req.headers['if-modified-since'] === lastModified) return void res.writeHead(304).end();
      res.writeHead(200, { 'last-modified': lastModified }).end(FEED);
    });
    const first = await fetcher().fetch(`${origin}/feed.xml`);
    expect(first.lastModified).toBe(lastModified);
    const second = await fetcher().fetch(`${origin}/feed.xml`, { lastModified: first.lastModified });
    expect(second).toMatchObject({ notModified: true, status: 304, lastModified });
    expect(seen).toEqual([undefined, lastModified]);
  });
});

describe('rate limits and errors', () => {
  it('429 with Retry-After in seconds', async () => {
    const origin = await serve((_req, res) => res.writeHead(429, { 'retry-after': '120' }).end('slow down'));
    const err = await fetchError(fetcher().fetch(`${origin}/feed.xml`));
    expect(err).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 120_000 });
  });

  it('429 with Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 90_000);
    const origin = await serve((_req, res) => res.writeHead(429, { 'retry-after': at.toUTCString() }).end());
    const err = await fetchError(fetcher().fetch(`${origin}/feed.xml`));
    expect(err.status).toBe(429);
    // The header has whole seconds: the wait is 89-90 s.
    expect(err.retryAfterMs).toBeGreaterThan(88_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('503 with and without Retry-After', async () => {
    let withHeader = true;
    const origin = await serve((_req, res) => res.writeHead(503, withHeader ? { 'retry-after': '30' } : {}).end());
    expect(await fetchError(fetcher().fetch(`${origin}/feed.xml`))).toMatchObject({ kind: 'http', status: 503, retryAfterMs: 30_000 });
    withHeader = false;
    const err = await fetchError(fetcher().fetch(`${origin}/feed.xml`));
    expect(err.status).toBe(503);
    expect(err.retryAfterMs).toBeUndefined();
  });

  it('Retry-After is ignored on other errors', async () => {
    const origin = await serve((_req, res) => res.writeHead(500, { 'retry-after': '30' }).end());
    const err = await fetchError(fetcher().fetch(`${origin}/feed.xml`));
    expect(err).toMatchObject({ kind: 'http', status: 500, retryAfterMs: undefined });
  });

  it('410 Gone is its own kind', async () => {
    const origin = await serve((_req, res) => res.writeHead(410).end('gone'));
    const err = await fetchError(fetcher().fetch(`${origin}/feed.xml`));
    expect(err).toMatchObject({ kind: 'gone', status: 410 });
    expect(err.message).toContain(`${origin}/feed.xml`);
  });
});

describe('redirects', () => {
  /** Serves FEED at /feed.xml and redirects /old with `status`. */
  const redirecting = (status: number, location = '/feed.xml') =>
    serve((req, res) => {
      if (req.url === '/feed.xml') return void res.writeHead(200).end(FEED);
      res.writeHead(status, { location }).end();
    });

  it.each([301, 308])('%i: the body comes from the new location and movedTo says where', async (status) => {
    const origin = await redirecting(status);
    const result = await fetcher().fetch(`${origin}/old`);
    expect(body(result)).toBe(FEED);
    expect(result).toMatchObject({ finalUrl: `${origin}/feed.xml`, movedTo: `${origin}/feed.xml` });
  });

  it.each([302, 303, 307])('%i: followed, but the feed has not moved for good', async (status) => {
    const origin = await redirecting(status);
    const result = await fetcher().fetch(`${origin}/old`);
    expect(body(result)).toBe(FEED);
    expect(result).toMatchObject({ finalUrl: `${origin}/feed.xml`, movedTo: undefined });
  });

  it('301 then 302: moved for good to the first target only', async () => {
    const origin = await serve((req, res) => {
      if (req.url === '/old') return void res.writeHead(301, { location: '/new' }).end();
      if (req.url === '/new') return void res.writeHead(302, { location: '/today' }).end();
      res.writeHead(200).end(FEED);
    });
    const result = await fetcher().fetch(`${origin}/old`);
    expect(result).toMatchObject({ finalUrl: `${origin}/today`, movedTo: `${origin}/new` });
  });

  it('a redirect loop stops at maxRedirects', async () => {
    let hits = 0;
    const origin = await serve((req, res) => {
      hits++;
      res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' }).end();
    });
    const err = await fetchError(fetcher({ maxRedirects: 4 }).fetch(`${origin}/a`));
    expect(err.kind).toBe('redirects');
    expect(err.message).toContain('more than 4 redirects');
    expect(hits).toBe(5);
  });

  it('a redirect without Location is an HTTP error', async () => {
    const origin = await serve((_req, res) => res.writeHead(301).end());
    const err = await fetchError(fetcher().fetch(`${origin}/old`));
    expect(err).toMatchObject({ kind: 'http', status: 301 });
    expect(err.message).toContain('without a Location header');
  });

  it('a redirect to something other than http(s) is refused', async () => {
    const origin = await serve((_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    const err = await fetchError(fetcher().fetch(`${origin}/old`));
    expect(err).toMatchObject({ kind: 'http', status: 302 });
    expect(err.message).toContain('file:///etc/passwd');
  });

  it('a Location that is not a URL is an HTTP error, not a crash', async () => {
    const origin = await serve((_req, res) => res.writeHead(301, { location: 'http://[::1' }).end());
    const err = await fetchError(fetcher().fetch(`${origin}/old`));
    expect(err).toMatchObject({ kind: 'http', status: 301 });
    expect(err.message).toContain('not an http(s) URL');
  });
});

describe('time limit', () => {
  it('a server that never sends headers times out within about timeoutMs', async () => {
    const origin = await serve(() => {
      /* never answers */
    });
    const started = Date.now();
    const err = await fetchError(fetcher({ timeoutMs: 300 }).fetch(`${origin}/feed.xml`));
    const elapsed = Date.now() - started;
    expect(err.kind).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('a body that trickles in times out within about timeoutMs', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<?xml version="1.0"?><rss>');
      const drip = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(drip));
    });
    const started = Date.now();
    const err = await fetchError(fetcher({ timeoutMs: 400 }).fetch(`${origin}/feed.xml`));
    const elapsed = Date.now() - started;
    expect(err.kind).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(1_100);
  });

  it('the time limit covers the whole exchange, redirects included', async () => {
    const origin = await serve((req, res) => {
      if (req.url === '/old') return void setTimeout(() => res.writeHead(301, { location: '/feed.xml' }).end(), 250);
      setTimeout(() => res.writeHead(200).end(FEED), 250);
    });
    const err = await fetchError(fetcher({ timeoutMs: 400 }).fetch(`${origin}/old`));
    expect(err.kind).toBe('timeout');
  });
});

describe('size cap', () => {
  it('a plain body over the cap is too-large', async () => {
    const origin = await serve((_req, res) => res.writeHead(200).end(Buffer.alloc(64 * 1024, 'a')));
    const err = await fetchError(fetcher({ maxBytes: 16 * 1024 }).fetch(`${origin}/feed.xml`));
    expect(err.kind).toBe('too-large');
    expect(err.message).toContain('16384-byte cap');
  });

  it('a Content-Length over the cap fails before the body is downloaded', async () => {
    // Headers only: without the check, the fetcher would wait for the body until its time limit.
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(100 * MiB) });
      res.flushHeaders();
    });
    const started = Date.now();
    const err = await fetchError(fetcher({ maxBytes: MiB, timeoutMs: 3_000 }).fetch(`${origin}/feed.xml`));
    expect(err.kind).toBe('too-large');
    expect(err.message).toContain('(Content-Length)');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a body exactly at the cap is accepted', async () => {
    const origin = await serve((_req, res) => res.writeHead(200).end(Buffer.alloc(16 * 1024, 'a')));
    const result = await fetcher({ maxBytes: 16 * 1024 }).fetch(`${origin}/feed.xml`);
    expect(result.notModified ? 0 : result.body.length).toBe(16 * 1024);
  });

  it('an endless body stops at the cap', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    const err = await fetchError(fetcher({ maxBytes: MiB }).fetch(`${origin}/feed.xml`));
    expect(err.kind).toBe('too-large');
  });

  it('a gzip bomb stops at the cap quickly and in bounded memory', async () => {
    // 1 GiB of zeros as 64 concatenated gzip members of 16 MiB each: about 1 MiB on the wire.
    const member = gzipSync(Buffer.alloc(16 * MiB), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    expect(bomb.length).toBeLessThan(2 * MiB);
    const origin = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb));
    const before = process.memoryUsage();
    const started = performance.now();
    const err = await fetchError(fetcher({ maxBytes: 4 * MiB }).fetch(`${origin}/feed.xml`));
    const ms = performance.now() - started;
    const after = process.memoryUsage();
    expect(err.kind).toBe('too-large');
    expect(err.message).toContain('after decompression');
    // Inflating all of it would take seconds and a GiB; stopping at the cap takes milliseconds.
    expect(ms).toBeLessThan(1_000);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * MiB);
    console.log(`gzip bomb: ${bomb.length} bytes on the wire, stopped at the ${4 * MiB}-byte cap in ${ms.toFixed(0)} ms`);
  });

  it('a corrupt gzip body is a network error that says so', async () => {
    const origin = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(Buffer.from('not gzip at all')));
    const err = await fetchError(fetcher().fetch(`${origin}/feed.xml`));
    expect(err.kind).toBe('network');
    expect(err.message).toContain('corrupt compressed body');
  });
});

describe('content encodings', () => {
  it.each([
    ['gzip', 'gzip', gzipSync],
    ['x-gzip', 'x-gzip', gzipSync],
    ['deflate (zlib-wrapped, as RFC 9110 says)', 'deflate', deflateSync],
    // Some servers send raw deflate without the zlib wrapper, as browsers tolerate.
    ['deflate (raw)', 'deflate', deflateRawSync],
    ['br', 'br', brotliCompressSync],
    ['identity', 'identity', (b: Buffer) => b],
  ] as const)('%s is decoded', async (_label, encoding, compress) => {
    const origin = await serve((_req, res) => res.writeHead(200, { 'content-encoding': encoding }).end(compress(Buffer.from(FEED))));
    expect(body(await fetcher().fetch(`${origin}/feed.xml`))).toBe(FEED);
  });

  it('raw deflate arriving one byte at a time is still recognised', async () => {
    const compressed = deflateRawSync(Buffer.from(FEED));
    const origin = await serve(async (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'deflate' });
      res.write(compressed.subarray(0, 1));
      // The server trickles (the scenario under test), so the first byte reaches the fetcher on its own.
      await new Promise((r) => setTimeout(r, 30));
      res.end(compressed.subarray(1));
    });
    expect(body(await fetcher().fetch(`${origin}/feed.xml`))).toBe(FEED);
  });

  it('asks for gzip, deflate and br', async () => {
    let asked: string | undefined;
    const origin = await serve((req, res) => {
      asked = req.headers['accept-encoding'];
      res.writeHead(200).end(FEED);
    });
    await fetcher().fetch(`${origin}/feed.xml`);
    expect(asked).toBe('gzip, deflate, br');
  });
});

describe('charset', () => {
  it('the HTTP charset wins over the XML declaration (windows-1251 bytes, utf-8 declared)', async () => {
    const title = 'Войска КНДР прибыли в Курск';
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Лента</title><link>http://example.test/</link><description>d</description>
<item><guid>k1</guid><title>${title}</title><link>http://example.test/k1</link><description>Сообщение агентства.</description></item>
</channel></rss>`;
    const origin = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=windows-1251' }).end(iconv.encode(xml, 'windows-1251')),
    );
    const result = await fetcher().fetch(`${origin}/feed.xml`);
    if (result.notModified) throw new Error('unexpected 304');
    expect(result.contentType).toBe('application/rss+xml; charset=windows-1251');
    const feed = await parseFeed(result.body, {
      feedId: 'ru',
      url: result.finalUrl,
      contentType: result.contentType,
      fetchedAt: new Date(),
    });
    expect(feed.encoding).toBe('windows-1251');
    expect(feed.title).toBe('Лента');
    expect(feed.articles[0]?.title).toBe(title);
  });

  it('gzip and a legacy charset together', async () => {
    const xml = `<?xml version="1.0" encoding="koi8-r"?><rss version="2.0"><channel><title>Новости</title><link>http://example.test/</link><description>d</description><item><guid>n1</guid><title>Москва</title></item></channel></rss>`;
    const origin = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' }).end(gzipSync(iconv.encode(xml, 'koi8-r'))),
    );
    const result = await fetcher().fetch(`${origin}/feed.xml`);
    if (result.notModified) throw new Error('unexpected 304');
    const feed = await parseFeed(result.body, {
      feedId: 'ru',
      url: result.finalUrl,
      contentType: result.contentType,
      fetchedAt: new Date(),
    });
    expect(feed.articles[0]?.title).toBe('Москва');
  });
});

describe('local files', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it.each(['path', 'file:// URL', 'path relative to baseDir'] as const)('%s: read, then 304 until the file changes', async (form) => {
    dir = await mkdtemp(join(tmpdir(), 'newswatch-fetch-'));
    const path = join(dir, 'feed.xml');
    await writeFile(path, FEED);
    const at = new Date('2026-01-01T00:00:00Z');
    await utimes(path, at, at);
    const url = form === 'path' ? path : form === 'file:// URL' ? pathToFileURL(path).href : 'feed.xml';
    const f = fetcher({ baseDir: dir });

    const first = await f.fetch(url);
    expect(body(first)).toBe(FEED);
    expect(first.lastModified).toBeDefined();
    expect(await f.fetch(url, { lastModified: first.lastModified })).toMatchObject({ notModified: true, status: 304 });

    const later = new Date('2026-01-02T00:00:00Z');
    await utimes(path, later, later);
    const changed = await f.fetch(url, { lastModified: first.lastModified });
    expect(changed.notModified).toBe(false);
    expect(changed.lastModified).not.toBe(first.lastModified);
  });

  it('a missing file is a file error naming the path', async () => {
    const err = await fetchError(fetcher().fetch('/nonexistent/newswatch/feed.xml'));
    expect(err.kind).toBe('file');
    expect(err.message).toContain('/nonexistent/newswatch/feed.xml');
  });

  it('a file over the cap is too-large', async () => {
    dir = await mkdtemp(join(tmpdir(), 'newswatch-fetch-'));
    const path = join(dir, 'big.xml');
    await writeFile(path, Buffer.alloc(20_000, 'a'));
    const err = await fetchError(fetcher({ maxBytes: 10_000 }).fetch(path));
    expect(err.kind).toBe('too-large');
  });
});
