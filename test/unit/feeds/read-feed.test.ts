import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed, readFeed } from '../../../src/feeds/parse/index.js';

const opts = { feedId: 'wire', url: 'http://example.test/feed.xml', fetchedAt: new Date('2026-11-30T12:00:00Z') };

describe('readFeed: ids at once, articles on demand', () => {
  const feeds: Array<[string, string]> = [
    ['the wire fixture', readFileSync('test/fixtures/wire.xml', 'utf8')],
    [
      'items with neither guid nor link (ids from title and text)',
      `<rss version="2.0"><channel><title>t</title><item><title>A &amp; <b>B</b></title><description>&lt;p&gt;one&lt;/p&gt;</description></item><item><title>C</title><description>two</description></item></channel></rss>`,
    ],
    [
      'Atom with relative links and xml:base',
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://base.example/news/"><title>t</title><entry><title>x</title><link href="a.html"/><id>urn:x:1</id><updated>2026-11-30T10:00:00Z</updated></entry><entry><title>y</title><link href="b.html?utm_source=z"/><updated>2026-11-30T11:00:00Z</updated></entry></feed>`,
    ],
  ];
  for (const [name, text] of feeds) {
    it(`gives the same ids and articles as a full parse: ${name}`, async () => {
      const full = await parseFeed(Buffer.from(text), opts);
      const read = await readFeed(Buffer.from(text), opts);
      expect(read.entries.map((e) => e.id)).toEqual(full.articles.map((a) => a.id));
      expect(read.entries.map((e) => e.article())).toEqual(full.articles);
      expect(full.articles.length).toBeGreaterThan(1);
    });
  }
});
