import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query, e.g. `/hook/bot123:ABC/sendMessage`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A loopback webhook receiver; `respond` decides each answer (default 200; 0 never answers, like a hung receiver). */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  respond: (req: { headers: IncomingHttpHeaders; body: string; attempt: number }) => number = () => 200;
  private server?: Server;

  /** Only the requests answered with 2xx: what the receiver really accepted. */
  get accepted(): ReceivedRequest[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const attempt = this.requests.filter((r) => r.headers['webhook-id'] === req.headers['webhook-id']).length + 1;
        const status = this.respond({ headers: req.headers, body, attempt });
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, status });
        if (status !== 0) res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}
