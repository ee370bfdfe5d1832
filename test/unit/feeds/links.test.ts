import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/feeds/parse/index.js';

const fetchedAt = new Date('2025-01-01T00:00:00Z');
const parse = (xml: string, url = 'https://feeds.example.org/news/rss.xml') => parseFeed(Buffer.from(xml), { feedId: 'f', url, fetchedAt });

describe('relative links', () => {
  it('resolves entry links against xml:base on the entry, itself relative to the feed xml:base', async () => {
    const feed = await parse(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example/blog/">
<link href="/"/>
<entry xml:base="2025/"><title>a</title><link href="post.html"/></entry>
<entry><title>b</title><link href="other.html"/></entry></feed>`);
    expect(feed.link).toBe('https://base.example/');
    expect(feed.articles.map((a) => a.link)).toEqual(['https://base.example/blog/2025/post.html', 'https://base.example/blog/other.html']);
  });

  it('resolves RSS links against the channel link, else the feed URL', async () => {
    const withChannelLink = await parse(
      '<rss version="2.0"><channel><link>https://site.example/home/</link><item><link>story/1</link></item></channel></rss>',
    );
    expect(withChannelLink.articles[0]!.link).toBe('https://site.example/home/story/1');
    const withoutChannelLink = await parse('<rss version="2.0"><channel><item><link>/story/2</link></item></channel></rss>');
    expect(withoutChannelLink.articles[0]!.link).toBe('https://feeds.example.org/story/2');
  });

  it('uses a permalink guid when there is no <link>, and drops links that are not http(s)', async () => {
    const feed = await parse(`<rss version="2.0"><channel>
<item><guid>https://site.example/a</guid></item>
<item><guid isPermaLink="false">https://site.example/b</guid></item>
<item><link>javascript:alert(1)</link></item></channel></rss>`);
    expect(feed.articles.map((a) => a.link)).toEqual(['https://site.example/a', '', '']);
  });
});
