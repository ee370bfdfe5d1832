/**
 * The fetch job's own work on a polled feed, without the network or Redis: a 50-item RSS feed with
 * HTML summaries, polled again with one new item (or with the very same bytes). Before: every item
 * normalised to find the new one (parseFeed, what the job did). After: ids from the raw items, only the
 * new one normalised (readFeed); and a byte-identical body recognised by its digest and not parsed.
 *
 *   npm run bench -- fetch-job [--rounds N]
 */
import os from 'node:os';
import { bodyDigest } from '../src/feeds/poll-policy.js';
import { parseFeed, readFeed } from '../src/feeds/parse/index.js';
import { rss, type FeedItem } from '../test/support/feed-server.js';

const ITEMS = 50;
const argv = process.argv.slice(2);
const roundsAt = argv.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : 400;

const paragraph = (n: number) =>
  `<p>Officials said on <b>Tuesday</b> that talks over item ${n} would resume, according to <a href="https://example.test/${n}">a statement</a>. ` +
  `The &ldquo;framework&rdquo; covers trade, energy &amp; security; analysts expect <i>little movement</i> before the summit.</p>`;
const item = (n: number): FeedItem => ({
  guid: `https://example.test/news/${n}`,
  title: `Story ${n}: talks resume over trade & energy`,
  description: paragraph(n) + paragraph(n + 1),
  pubDate: new Date(Date.UTC(2026, 10, 30, 12, 0, 0) - n * 60_000),
});
const feedWith = (newest: number) => Buffer.from(rss(Array.from({ length: ITEMS }, (_, k) => item(newest - k))));
const opts = { feedId: 'wire', url: 'https://example.test/feed.xml', fetchedAt: new Date() };

/** Microseconds of CPU per call, over ROUNDS calls after a warm-up. */
async function cpuPerCall(run: (round: number) => Promise<unknown>): Promise<number> {
  for (let r = 0; r < 20; r++) await run(r);
  const start = process.cpuUsage();
  for (let r = 0; r < ROUNDS; r++) await run(r);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / ROUNDS;
}

// Each round is a poll that finds one new item: the ids seen before are those of the previous poll.
const bodies = Array.from({ length: ROUNDS + 20 }, (_, r) => feedWith(1_000 + r));
const seenBefore = await Promise.all(
  bodies.map(async (_, r) => new Set((await readFeed(feedWith(999 + r), opts)).entries.map((e) => e.id))),
);

let checked = 0;
const before = await cpuPerCall(async (r) => {
  const feed = await parseFeed(bodies[r]!, opts);
  checked += feed.articles.filter((a) => !seenBefore[r]!.has(a.id)).length;
});
const newAfter = checked;
checked = 0;
const after = await cpuPerCall(async (r) => {
  const feed = await readFeed(bodies[r]!, opts);
  checked += feed.entries.filter((e) => !seenBefore[r]!.has(e.id)).map((e) => e.article()).length;
});
if (checked !== newAfter || checked !== ROUNDS + 20)
  throw new Error(`expected one new item per poll, got ${newAfter} and ${checked} over ${ROUNDS + 20} (warm-up included)`);
const lastDigest = bodyDigest(bodies[0]!);
const unchanged = await cpuPerCall(async () => bodyDigest(bodies[0]!) === lastDigest);
const parseOnly = await cpuPerCall(async (r) => readFeed(bodies[r]!, opts));

const fmt = (us: number) => us.toLocaleString('en-US', { maximumFractionDigits: 0 });
console.log(`## Fetch job: a ${ITEMS}-item feed polled again\n`);
console.log(
  `${ROUNDS} polls each, one new item per poll, body ${fmt(bodies[0]!.length)} bytes; CPU per poll of the job's own work (no network, no Redis); node ${process.version}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}.\n`,
);
console.log('| fetch job step | CPU µs per poll | vs before |');
console.log('|---|---:|---:|');
console.log(`| before: parse and normalise all ${ITEMS} items (parseFeed) | ${fmt(before)} | 1.00x |`);
console.log(`| after: read the feed, normalise the 1 new item (readFeed) | ${fmt(after)} | ${(after / before).toFixed(2)}x |`);
console.log(`| of which reading the XML (readFeed, nothing normalised) | ${fmt(parseOnly)} | ${(parseOnly / before).toFixed(2)}x |`);
console.log(`| after: byte-identical body (digest only, not parsed) | ${fmt(unchanged)} | ${(unchanged / before).toFixed(3)}x |`);
console.log('');
