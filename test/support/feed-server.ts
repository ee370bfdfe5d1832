import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedItem {
  guid: string;
  title: string;
  description: string;
  /** Full text, served as content:encoded. */
  content?: string;
  link?: string;
  /** Default now; null leaves the item undated. */
  pubDate?: Date | null;
}

export function rss(items: FeedItem[], title = 'Test Wire'): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${esc(title)}</title><link>http://example.test/</link><description>test</description>
${items
  .map(
    (
      i,
    ) => `<item><guid isPermaLink="false">${esc(i.guid)}</guid><title>${esc(i.title)}</title><link>${esc(i.link ?? `http://example.test/${i.guid}`)}</link>
<description>${esc(i.description)}</description>${i.content ? `<content:encoded>${esc(i.content)}</content:encoded>` : ''}${i.pubDate === null ? '' : `<pubDate>${(i.pubDate ?? new Date()).toUTCString()}</pubDate>`}</item>`,
  )
  .join('\n')}
</channel></rss>`;
}

/** A loopback feed server with real conditional GET (ETag), counting what it answered. */
export class FeedServer {
  items: FeedItem[] = [];
  requests = 0;
  notModified = 0;
  private version = 1;
  private server?: Server;
  /** Replaces the default handler for special cases (errors, slow answers, redirects). */
  handler?: (req: IncomingMessage, res: ServerResponse) => void;

  setItems(items: FeedItem[]): void {
    this.items = items;
    this.version++;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.requests++;
      if (this.handler) return this.handler(req, res);
      const etag = `"v${this.version}"`;
      if (req.headers['if-none-match'] === etag) {
        this.notModified++;
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(rss(this.items));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/feed.xml`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}
