import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SLOT_EDGE_MS } from '../../src/feeds/poll-policy.js';
import { currentSlot } from '../../src/schedule/slots.js';
import { rss } from '../support/feed-server.js';
import { startTestDaemon, type TestDaemon } from '../support/test-daemon.js';
import { collectFor } from '../support/collector.js';

const FEEDS = 200;
const SITES = 4;
const INTERVAL_MS = 10_000;
const WINDOW_MS = 35_000;
/** Slow answers and few fetch slots make the first start a backlog that runs into the feeds' next slots. */
const ANSWER_DELAY_MS = 250;
/** The most time between a fetch claiming its slot and its request reaching the site, on a loaded machine. */
const CLAIM_TO_REQUEST_MS = 1_000;

interface Request {
  feed: number;
  at: number;
}

/** Loopback sites serving feed N at /feeds/N.xml (with an ETag), reporting every request. */
class Sites {
  private readonly servers: Server[] = [];
  listener?: (r: Request) => void;

  async start(count: number): Promise<number[]> {
    const ports: number[] = [];
    for (let s = 0; s < count; s++) {
      const server = createServer((req, res) => {
        const feed = Number(/^\/feeds\/(\d+)\.xml$/.exec(req.url ?? '')?.[1]);
        this.listener?.({ feed, at: Date.now() });
        setTimeout(() => {
          const etag = `"f${feed}"`;
          if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
          res
            .writeHead(200, { 'content-type': 'application/rss+xml', etag })
            .end(rss([{ guid: `f${feed}-1`, title: `Item of ${feed}`, description: 'x', pubDate: new Date(0) }]));
        }, ANSWER_DELAY_MS);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      this.servers.push(server);
      ports.push((server.address() as AddressInfo).port);
    }
    return ports;
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => (s.closeAllConnections(), new Promise((r) => s.close(r)))));
  }
}

describe('fetch slots: one fetch per feed and slot, even after a backlog', () => {
  const open: Array<{ stop(): Promise<void> }> = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.stop();
  });

  it(
    `fetches each of ${FEEDS} feeds at most once per slot in the ${WINDOW_MS / 1000} s after a first start`,
    async () => {
      const sites = new Sites();
      open.push(sites);
      const ports = await sites.start(SITES);
      const feeds = Array.from(
        { length: FEEDS },
        (_, i) => `  - { id: f${i}, url: "http://127.0.0.1:${ports[i % SITES]}/feeds/${i}.xml", interval: ${INTERVAL_MS / 1000}s }`,
      );
      let daemon: TestDaemon | undefined;
      const requests = await collectFor<Request>(WINDOW_MS, (push) => {
        sites.listener = push;
        void startTestDaemon(
          { 'feeds.yaml': `feeds:\n${feeds.join('\n')}\n`, 'channels.yaml': 'channels: []\n' },
          'concurrency: { fetch: 8 }\nfeeds: { per_host_concurrency: 4, per_host_gap: 0s }\n',
        ).then((d) => void open.push((daemon = d)));
        return () => (sites.listener = undefined);
      });
      expect(daemon).toBeDefined();

      // The daemon claims the slot of its clock plus SLOT_EDGE_MS, a moment before the request reaches the site:
      // a request may stand for any slot from (arrival - CLAIM_TO_REQUEST_MS + SLOT_EDGE_MS) to (arrival + SLOT_EDGE_MS).
      const taken = new Set<string>();
      const doubles: string[] = [];
      for (const r of [...requests].sort((a, b) => a.at - b.at)) {
        const slots = [r.at - CLAIM_TO_REQUEST_MS + SLOT_EDGE_MS, r.at + SLOT_EDGE_MS].map(
          (t) => `f${r.feed}@${currentSlot(`f${r.feed}`, INTERVAL_MS, t)}`,
        );
        const free = slots.find((slot) => !taken.has(slot));
        if (free) taken.add(free);
        else doubles.push(`${slots[0]} (request at ${r.at})`);
      }
      expect(doubles).toEqual([]);
      // It did poll: every feed, and feeds again in later slots, where a late job could have doubled up.
      expect(new Set(requests.map((r) => r.feed)).size).toBe(FEEDS);
      expect(requests.length).toBeGreaterThan(FEEDS);
    },
    WINDOW_MS + 30_000,
  );
});
