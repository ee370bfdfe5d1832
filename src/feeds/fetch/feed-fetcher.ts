import { once } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import type { Readable, Transform } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { PrivateAddressError } from '../../net/dispatcher.js';
import { maskUrl } from '../../log/logger.js';
import { parseRetryAfter } from '../../net/retry-after.js';
import { FetchError } from './fetch-error.js';

export interface FetchValidators {
  etag?: string;
  lastModified?: string;
}

export type FetchResult =
  | { notModified: true; status: 304; etag?: string; lastModified?: string; freshForMs?: number }
  | {
      notModified: false;
      status: number;
      body: Buffer;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      /** Where the body really came from after redirects. */
      finalUrl: string;
      /** Set when a 301/308 moved the feed for good: the config should be updated. */
      movedTo?: string;
      /** How long the server says the answer stays fresh (Cache-Control max-age, Expires). */
      freshForMs?: number;
    };

export interface FetcherOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  /** Relative feed paths resolve against this (the config directory). */
  baseDir?: string;
  dispatcher?: Dispatcher;
  /** Off with `network.deny_private`: whoever writes feeds.yaml must not read the host's files through it. */
  allowLocalFiles?: boolean;
}

export const DEFAULT_USER_AGENT = 'newswatch/0.1 (+https://github.com/newswatch/newswatch; feed monitor)';

/**
 * Fetches feed bodies over HTTP(S) or from local files with the limits a daemon polling thousands of
 * feeds it does not control needs: conditional GET, a time limit on the whole exchange, a cap on the
 * decompressed size (so a gzip bomb stops at the cap), and a bounded number of redirects.
 */
export class FeedFetcher {
  constructor(private readonly opts: FetcherOptions) {}

  async fetch(url: string, validators: FetchValidators = {}): Promise<FetchResult> {
    if (/^https?:\/\//i.test(url)) return this.fetchHttp(url, validators);
    if (this.opts.allowLocalFiles === false) {
      throw new FetchError('network', `local file feeds are refused while network.deny_private is on: ${url}`);
    }
    return this.fetchFile(url, validators);
  }

  private async fetchFile(url: string, validators: FetchValidators): Promise<FetchResult> {
    const path = url.startsWith('file:') ? fileURLToPath(url) : isAbsolute(url) ? url : resolve(this.opts.baseDir ?? '.', url);
    try {
      const info = await stat(path);
      const lastModified = `${info.mtime.toUTCString()} ${info.size}`;
      if (validators.lastModified === lastModified) return { notModified: true, status: 304, lastModified };
      if (info.size > this.opts.maxBytes)
        throw new FetchError('too-large', `${path} is ${info.size} bytes, over the ${this.opts.maxBytes}-byte cap`);
      return { notModified: false, status: 200, body: await readFile(path), lastModified, finalUrl: url };
    } catch (err) {
      if (err instanceof FetchError) throw err;
      throw new FetchError('file', `cannot read ${path}: ${(err as Error).message}`);
    }
  }

  private async fetchHttp(startUrl: string, validators: FetchValidators): Promise<FetchResult> {
    // A timer cleared as soon as the exchange ends: AbortSignal.timeout keeps each request's signal
    // (and what hangs on it) alive for the full timeout, which adds up at thousands of fetches.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('fetch timed out', 'TimeoutError')), this.opts.timeoutMs);
    try {
      return await this.exchange(startUrl, validators, controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private async exchange(startUrl: string, validators: FetchValidators, signal: AbortSignal): Promise<FetchResult> {
    let url = startUrl;
    let movedTo: string | undefined;
    let permanent = true;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = {
        'user-agent': this.opts.userAgent,
        accept:
          'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
        'accept-encoding': 'gzip, deflate, br',
      };
      if (validators.etag) headers['if-none-match'] = validators.etag;
      if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, { method: 'GET', headers, signal, dispatcher: this.opts.dispatcher });
      } catch (err) {
        throw this.networkError(err, url);
      }
      const { statusCode } = res;
      const header = (name: string) => {
        const v = res.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      if (statusCode >= 300 && statusCode < 400 && statusCode !== 304) {
        res.body.resume();
        const location = header('location');
        if (!location) throw new FetchError('http', `HTTP ${statusCode} without a Location header from ${maskUrl(url, true)}`, statusCode);
        if (hop >= this.opts.maxRedirects)
          throw new FetchError('redirects', `more than ${this.opts.maxRedirects} redirects (last: ${maskUrl(url, true)})`, statusCode);
        const next = URL.canParse(location, url) ? new URL(location, url) : undefined;
        if (next?.protocol !== 'http:' && next?.protocol !== 'https:') {
          throw new FetchError(
            'http',
            `HTTP ${statusCode} from ${maskUrl(url, true)} redirects to ${JSON.stringify(location)}, which is not an http(s) URL`,
            statusCode,
          );
        }
        // A feed has moved for good only if every hop on the way was permanent.
        permanent &&= statusCode === 301 || statusCode === 308;
        url = next.toString();
        if (permanent) movedTo = url;
        continue;
      }
      if (statusCode === 304) {
        res.body.resume();
        return {
          notModified: true,
          status: 304,
          etag: header('etag') ?? validators.etag,
          lastModified: header('last-modified') ?? validators.lastModified,
          freshForMs: freshFor(header('cache-control'), header('expires'), header('date')),
        };
      }
      if (statusCode === 410) {
        res.body.resume();
        throw new FetchError('gone', `HTTP 410 Gone: ${maskUrl(url, true)} no longer exists; remove the feed or change its url`, 410);
      }
      if (statusCode >= 400) {
        res.body.resume();
        const retryAfterMs = statusCode === 429 || statusCode === 503 ? parseRetryAfter(res.headers['retry-after']) : undefined;
        throw new FetchError('http', `HTTP ${statusCode} from ${maskUrl(url, true)}`, statusCode, retryAfterMs);
      }
      const declared = Number(header('content-length'));
      if (!header('content-encoding') && declared > this.opts.maxBytes) {
        // No need to download what would be thrown away at the cap.
        res.body.destroy();
        throw new FetchError(
          'too-large',
          `body of ${maskUrl(url, true)} is ${declared} bytes (Content-Length), over the ${this.opts.maxBytes}-byte cap`,
        );
      }
      const body = await this.readCapped(res.body, header('content-encoding'), url);
      return {
        notModified: false,
        status: statusCode,
        body,
        contentType: header('content-type'),
        etag: header('etag'),
        lastModified: header('last-modified'),
        finalUrl: url,
        movedTo,
        freshForMs: freshFor(header('cache-control'), header('expires'), header('date')),
      };
    }
  }

  private async readCapped(body: Readable, encoding: string | undefined, url: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      const decoder = await decompressorFor(encoding, body);
      const stream: Readable = decoder ? body.pipe(decoder) : body;
      if (decoder) body.on('error', (err) => decoder.destroy(err));
      for await (const chunk of stream) {
        size += (chunk as Buffer).length;
        if (size > this.opts.maxBytes) {
          body.destroy();
          stream.destroy();
          throw new FetchError(
            'too-large',
            `body of ${maskUrl(url, true)} exceeds the ${this.opts.maxBytes}-byte cap${decoder ? ' after decompression' : ''}`,
          );
        }
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      if (err instanceof FetchError) throw err;
      throw this.networkError(err, url);
    }
    return Buffer.concat(chunks, size);
  }

  private networkError(err: unknown, url: string): FetchError {
    if (err instanceof PrivateAddressError) return new FetchError('network', `cannot fetch ${maskUrl(url, true)}: ${err.message}`);
    const e = err as Error & { code?: string; cause?: { code?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
      return new FetchError('timeout', `no complete answer from ${maskUrl(url, true)} within ${this.opts.timeoutMs / 1000} s`);
    }
    if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR' || e.code === 'ERR_PADDING_1') {
      return new FetchError('network', `corrupt compressed body from ${maskUrl(url, true)}: ${e.message}`);
    }
    const code = e.code ?? e.cause?.code;
    // Node's messages often repeat the code ("getaddrinfo ENOTFOUND host"): say it once.
    const detail = code && !e.message.includes(code) ? `${code} ${e.message}` : e.message;
    return new FetchError('network', `cannot fetch ${maskUrl(url, true)}: ${detail}`.replace(/\s+/g, ' ').trim());
  }
}

async function decompressorFor(encoding: string | undefined, body: Readable): Promise<Transform | undefined> {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      // HTTP's deflate is zlib-wrapped, but some servers send raw deflate, which browsers accept too.
      return isZlibWrapped(await peek(body)) ? createInflate() : createInflateRaw();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/** A zlib header: compression method 8 in the low nibble and a check value making the first two bytes a multiple of 31. */
function isZlibWrapped(first: Buffer | undefined): boolean {
  if (!first || first.length === 0) return true;
  const [cmf, flg] = first;
  return (cmf! & 0x0f) === 8 && (flg === undefined || (cmf! * 256 + flg) % 31 === 0);
}

/** The first chunk of a stream, put back for whoever reads it next; undefined for an empty stream. */
async function peek(stream: Readable): Promise<Buffer | undefined> {
  for (;;) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) {
      stream.unshift(chunk);
      return chunk;
    }
    if (stream.readableEnded) return undefined;
    await Promise.race([once(stream, 'readable'), once(stream, 'end')]);
  }
}

/** Freshness lifetime per RFC 9111: max-age wins over Expires (relative to the server's Date). */
export function freshFor(
  cacheControl: string | undefined,
  expires: string | undefined,
  date: string | undefined,
  now = Date.now(),
): number | undefined {
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)/i.exec(cacheControl ?? '');
  if (maxAge) return Number(maxAge[1]) * 1000;
  if (/no-cache|no-store/i.test(cacheControl ?? '')) return 0;
  const at = expires ? Date.parse(expires) : NaN;
  if (Number.isNaN(at)) return undefined;
  const served = date ? Date.parse(date) : NaN;
  return Math.max(0, at - (Number.isNaN(served) ? now : served));
}
