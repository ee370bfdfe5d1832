/**
 * Loopback "web" for the ingestion benchmark: N feeds spread over many sites (one HTTP server per
 * port on 127.0.0.1, since politeness is per host:port). Each feed has a fixed behaviour chosen by
 * its index, and every request is logged with the time it arrived.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rss, type FeedItem } from '../test/support/feed-server.js';

export type FeedBehaviour = 'static' | 'fresh' | 'slow' | 'error' | 'hang';

/**
 * 5% get a new item on every poll, 5% answer after 200-400 ms, 0.5% answer 500 and 0.5% never answer
 * (the client's timeout ends them); the rest answer 304 to a conditional request.
 */
export function behaviourOf(index: number): FeedBehaviour {
  if (index % 200 === 2) return 'error';
  if (index % 200 === 3) return 'hang';
  if (index % 20 === 0) return 'fresh';
  if (index % 20 === 1) return 'slow';
  return 'static';
}

export const feedId = (index: number) => `f${index}`;

export interface SiteRequest {
  feed: number;
  /** Epoch ms the request arrived. */
  at: number;
  conditional: boolean;
}

const ITEMS_PER_FEED = 10;
const WORDS =
  'markets rally as central bank holds rates steady while energy prices fall and exporters report strong orders from abroad'.split(' ');
const words = (seed: number, n: number) => Array.from({ length: n }, (_, k) => WORDS[(seed * 7 + k * 13) % WORDS.length]).join(' ');

export class FeedSites {
  readonly requests: SiteRequest[] = [];
  private readonly servers: Server[] = [];
  private readonly ports: number[] = [];
  /** Per fresh feed, how many polls it has answered (each adds one item). */
  private readonly versions = new Map<number, number>();
  /** Dates of the initial items: older than the first-fetch window, so the first fetch seeds quietly. */
  private readonly oldDate = Date.now() - 3 * 86_400_000;

  constructor(
    readonly feeds: number,
    readonly sites: number,
  ) {}

  async start(): Promise<void> {
    for (let s = 0; s < this.sites; s++) {
      const server = createServer((req, res) => this.answer(req, res));
      server.keepAliveTimeout = 30_000;
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      this.servers.push(server);
      this.ports.push((server.address() as AddressInfo).port);
    }
  }

  /** Consecutive feeds share a site (as a site's feeds sit together in an OPML export). */
  url(index: number): string {
    return `http://127.0.0.1:${this.ports[Math.floor((index * this.sites) / this.feeds)]}/feeds/${index}.xml`;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map((server) => {
        server.closeAllConnections();
        return new Promise((r) => server.close(r));
      }),
    );
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const index = Number(/^\/feeds\/(\d+)\.xml$/.exec(req.url ?? '')?.[1] ?? NaN);
    if (!Number.isInteger(index) || index >= this.feeds) return void res.writeHead(404).end();
    const ifNoneMatch = req.headers['if-none-match'];
    this.requests.push({ feed: index, at: Date.now(), conditional: ifNoneMatch !== undefined });
    switch (behaviourOf(index)) {
      case 'error':
        return void res.writeHead(500).end('internal error');
      case 'hang':
        // Never answers: the client's timeout (or the end of the run) closes the connection.
        return;
      case 'slow':
        return void setTimeout(() => this.answerFeed(index, ifNoneMatch, res), 200 + ((index * 37) % 200));
      default:
        return this.answerFeed(index, ifNoneMatch, res);
    }
  }

  private answerFeed(index: number, ifNoneMatch: string | undefined, res: ServerResponse): void {
    const version = this.versions.get(index) ?? 0;
    if (behaviourOf(index) === 'fresh') this.versions.set(index, version + 1);
    const etag = `"f${index}-v${version}"`;
    if (ifNoneMatch === etag) return void res.writeHead(304, { etag }).end();
    res
      .writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag })
      .end(rss(this.items(index, version), `Feed ${index}`));
  }

  /** The newest ITEMS_PER_FEED items: each poll of a fresh feed after its first adds one, dated now. */
  private items(index: number, version: number): FeedItem[] {
    return Array.from({ length: ITEMS_PER_FEED }, (_, k) => {
      const n = version + ITEMS_PER_FEED - 1 - k;
      const isNew = n >= ITEMS_PER_FEED;
      return {
        guid: `feed-${index}-item-${n}`,
        title: words(index + n, 9),
        description: words(index * 3 + n, 45),
        link: `http://127.0.0.1/${index}/${n}.html`,
        pubDate: new Date(isNew ? Date.now() : this.oldDate + n * 60_000),
      };
    });
  }
}
