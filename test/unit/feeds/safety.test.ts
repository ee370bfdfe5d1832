import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import Parser from 'rss-parser';
import { describe, expect, it, vi } from 'vitest';
import { FeedParseError, parseFeed, type ParseOptions } from '../../../src/feeds/parse/index.js';

const options: ParseOptions = { feedId: 'f', url: 'https://x.example/feed', fetchedAt: new Date('2025-01-01T00:00:00Z') };
const parse = (body: string | Buffer, extra: Partial<ParseOptions> = {}) =>
  parseFeed(typeof body === 'string' ? Buffer.from(body) : body, { ...options, ...extra });

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>laugh &lol9;</title></item></channel></rss>`;

function manyItems(count: number): string {
  return `<rss version="2.0"><channel>${'<item><title>x</title></item>'.repeat(count)}</channel></rss>`;
}

describe('parser safety', () => {
  it('does not expand entities declared in a DTD (billion laughs)', async () => {
    // Expanded, &lol9; is 3,000,000,000 characters: the short title is the proof, not the time taken.
    const feed = await parse(BILLION_LAUGHS);
    expect(feed.title.length).toBeLessThan(20);
    expect(feed.articles[0]!.title.length).toBeLessThan(30);
  });

  it('never reads external entities (XXE)', async () => {
    const feed = await parse(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>a &xxe; b</title></item></channel></rss>`);
    expect(feed.title).not.toContain('root:');
    expect(feed.articles[0]!.title).not.toContain('root:');
  });

  it('rejects gzip bytes with a not-a-feed error that names gzip', async () => {
    const error = await parse(gzipSync(manyItems(2))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedParseError);
    expect(error).toMatchObject({ code: 'not-a-feed', message: expect.stringMatching(/gzip/) });
  });

  it('rejects more than 50,000 items before building them, and honours a smaller cap', async () => {
    // Building is rss-parser's parseString (called through, only counted): never reached past the cap.
    const builds = vi.spyOn(Parser.prototype, 'parseString');
    try {
      await expect(parse(manyItems(50_001))).rejects.toMatchObject({ code: 'too-many-items' });
      expect(builds).not.toHaveBeenCalled();
      await parse(manyItems(2));
      expect(builds).toHaveBeenCalledTimes(1);
    } finally {
      builds.mockRestore();
    }
    await expect(parse(manyItems(3), { maxItems: 2 })).rejects.toMatchObject({ code: 'too-many-items' });
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items: [{ id: '1' }, { id: '2' }, { id: '3' }] });
    await expect(parse(json, { maxItems: 2 })).rejects.toMatchObject({ code: 'too-many-items' });
    expect((await parse(manyItems(2), { maxItems: 2 })).articles).toHaveLength(2);
  });

  it('rejects bodies over maxBytes', async () => {
    await expect(parse(manyItems(100), { maxBytes: 1_000 })).rejects.toMatchObject({ code: 'too-large' });
  });

  it('wraps failures deep inside the XML layer as FeedParseError', async () => {
    const deep = `<rss version="2.0"><channel><item><description>${'<div>'.repeat(20_000)}</description></item></channel></rss>`;
    await parse(deep).then(
      (feed) => expect(feed.format).toBe('rss'),
      (error: unknown) => expect(error).toBeInstanceOf(FeedParseError),
    );
  });

  it('throws nothing but FeedParseError on arbitrary or mangled input', async () => {
    const sample = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A &amp; B</title>
<link>https://x.example/a</link><description><![CDATA[<p>Hi</p>]]></description><pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate></item></channel></rss>`;
    const mangled = fc
      .tuple(fc.nat(sample.length), fc.nat(sample.length), fc.string({ maxLength: 12 }))
      .map(([cut, at, insert]) => (sample.slice(0, at) + insert + sample.slice(at)).slice(0, Math.max(cut, at)));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mangled,
          fc.string(),
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
        ),
        async (text) => {
          try {
            const feed = await parse(Buffer.from(text, 'latin1'));
            expect(Array.isArray(feed.articles)).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(FeedParseError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
