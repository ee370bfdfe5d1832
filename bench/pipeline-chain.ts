/**
 * The naive baseline of `bench/pipeline.ts`, in its own process: a bare BullMQ chain of the daemon's
 * shape (fetch -> match -> deliver queues, no-op processors) with the daemon's concurrency and job
 * options. Each fetch job queues `items` match jobs, each match job one deliver job.
 * Usage: tsx bench/pipeline-chain.ts REDIS_URL FEEDS ITEMS PREFIX. Prints one JSON line when every deliver
 * job is done: { ms, cpuMs }.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { settingsSchema } from '../src/config/schema.js';
import { defaultJobOptions } from '../src/queues/queues.js';

const [url, feedsArg, itemsArg, prefixArg] = process.argv.slice(2);
const feeds = Number(feedsArg);
const items = Number(itemsArg);
const { concurrency } = settingsSchema.parse({});
const prefix = prefixArg ?? 'chain';
const client = new Redis(url!, { maxRetriesPerRequest: 3 });
const queue = (name: string, options: object) => new Queue(name, { connection: client, prefix, defaultJobOptions: options });
const fetch = queue('fetch', defaultJobOptions.fetch);
const match = queue('articles', defaultJobOptions.articles);
const deliver = queue('deliveries', defaultJobOptions.deliveries);
const worker = (name: string, n: number, processor: (data: { feed: number; item?: number }) => Promise<unknown>) =>
  new Worker(name, (job) => processor(job.data), { connection: new Redis(url!, { maxRetriesPerRequest: null }), prefix, concurrency: n });

let delivered = 0;
const total = feeds * items;
const started = Date.now();
const cpu = process.cpuUsage();
const done = new Promise<void>((resolve) => {
  worker('deliveries', concurrency.deliver, async () => {
    if (++delivered === total) resolve();
  });
});
worker('articles', concurrency.match, (d) => deliver.add('delivery', d, { jobId: `d-${d.feed}-${d.item}` }));
worker('fetch', concurrency.fetch, (d) =>
  match.addBulk(
    Array.from({ length: items }, (_, item) => ({ name: 'article', data: { feed: d.feed, item }, opts: { jobId: `a-${d.feed}-${item}` } })),
  ),
);
await fetch.addBulk(Array.from({ length: feeds }, (_, feed) => ({ name: 'fetch', data: { feed }, opts: { jobId: `f-${feed}` } })));
await done;
const used = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ ms: Date.now() - started, cpuMs: (used.user + used.system) / 1000 })}\n`);
process.exit(0);
