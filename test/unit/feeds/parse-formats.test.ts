import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed, type ParseOptions } from '../../../src/feeds/parse/index.js';

const options: ParseOptions = { feedId: 'news', url: 'https://example.com/feed.xml', fetchedAt: new Date('2025-01-02T03:04:05Z') };

function parse(text: string, extra: Partial<ParseOptions> = {}) {
  return parseFeed(Buffer.from(text, 'utf8'), { ...options, ...extra });
}

describe('parseFeed formats', () => {
  it('reads RSS 2.0', async () => {
    const feed = await parse(`<?xml version="1.0"?>
<rss version="2.0"><channel><title>World &amp; more</title><link>https://example.com/</link><ttl>15</ttl><language>en-us</language>
<item><title>North Korea sends troops</title><link>https://example.com/a?utm_source=rss</link>
<guid isPermaLink="false">abc-1</guid><description>&lt;p&gt;4,000 more &lt;b&gt;soldiers&lt;/b&gt;&lt;/p&gt;</description>
<pubDate>Tue, 10 Jun 2025 04:00:00 GMT</pubDate><category>Korea</category><dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">Kim</dc:creator></item>
</channel></rss>`);
    expect(feed).toMatchObject({ format: 'rss', title: 'World & more', link: 'https://example.com/', ttlMinutes: 15 });
    expect(feed.articles).toHaveLength(1);
    expect(feed.articles[0]).toMatchObject({
      feedId: 'news',
      title: 'North Korea sends troops',
      link: 'https://example.com/a?utm_source=rss',
      summary: '4,000 more soldiers',
      content: '4,000 more soldiers',
      author: 'Kim',
      categories: ['Korea'],
      published: '2025-06-10T04:00:00.000Z',
      fetchedAt: '2025-01-02T03:04:05.000Z',
      lang: 'en-us',
      html: { summary: '<p>4,000 more <b>soldiers</b></p>' },
    });
  });

  it('reads RDF (RSS 1.0)', async () => {
    const feed =
      await parse(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://example.org/"><title>RDF feed</title><link>https://example.org/</link></channel>
<item rdf:about="https://example.org/1"><title>One</title><link>https://example.org/1</link><dc:date>2024-05-06T07:08:09+02:00</dc:date></item>
</rdf:RDF>`);
    expect(feed.format).toBe('rdf');
    expect(feed.articles[0]).toMatchObject({ title: 'One', link: 'https://example.org/1', published: '2024-05-06T05:08:09.000Z' });
  });

  it('reads Atom 1.0 with text types and categories', async () => {
    const feed = await parse(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
<title type="text">Atom &lt;feed&gt;</title><link rel="self" href="https://example.net/atom"/><link href="https://example.net/"/>
<entry><id>tag:example.net,2025:1</id><title type="html">&lt;em&gt;Breaking&lt;/em&gt; news</title>
<link rel="alternate" href="/posts/1"/><updated>2025-03-04T05:06:07Z</updated><published>2025-03-03T00:00:00Z</published>
<author><name>Ann</name></author><category term="politics"/><summary>Short</summary><content type="html">&lt;p&gt;Long text&lt;/p&gt;</content></entry>
</feed>`);
    expect(feed).toMatchObject({ format: 'atom', title: 'Atom <feed>', link: 'https://example.net/' });
    expect(feed.articles[0]).toMatchObject({
      title: 'Breaking news',
      link: 'https://example.net/posts/1',
      summary: 'Short',
      content: 'Long text',
      author: 'Ann',
      categories: ['politics'],
      published: '2025-03-03T00:00:00.000Z',
      lang: 'de',
    });
  });

  it('reads JSON Feed 1.1', async () => {
    const feed = await parse(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'JSON news',
        home_page_url: 'https://json.example/',
        language: 'ko',
        items: [
          {
            id: '1',
            url: 'https://json.example/1',
            title: 'Hello',
            content_html: '<p>Hi &amp; bye</p>',
            date_published: '2025-01-01T00:00:00Z',
            authors: [{ name: 'Lee' }],
            tags: ['a'],
          },
          { id: 2, content_text: 'Plain  text', summary: 'S' },
        ],
      }),
    );
    expect(feed).toMatchObject({ format: 'json', title: 'JSON news', link: 'https://json.example/' });
    expect(feed.articles[0]).toMatchObject({
      title: 'Hello',
      content: 'Hi & bye',
      author: 'Lee',
      categories: ['a'],
      lang: 'ko',
      published: '2025-01-01T00:00:00.000Z',
    });
    expect(feed.articles[1]).toMatchObject({ title: '', content: 'Plain text', summary: 'S', published: '2025-01-02T03:04:05.000Z' });
  });

  it('parses mis-nested XML leniently', async () => {
    const feed = await parse('<rss version="2.0"><channel><item><title>x</title></channel></rss>');
    expect(feed.articles.map((a) => a.title)).toEqual(['x']);
  });

  it('keeps the complete items of a truncated feed and drops the one cut in half', async () => {
    const feed = await parse(
      '<rss version="2.0"><channel><title>T</title><item><title>whole</title><guid>1</guid></item><item><title>cut in ha',
    );
    expect(feed.title).toBe('T');
    expect(feed.articles.map((a) => a.title)).toEqual(['whole']);
  });

  it('reads feeds with junk before the root, HTML entities, bare ampersands and namespace prefixes', async () => {
    const junk = await parse(
      '\ufeff\u200b\n<!-- generator -->\n<?xml version="1.0"?><rss version="2.0"><channel><item><title>caf&eacute; &amp; bar & co&hellip;</title></item></channel></rss>',
    );
    expect(junk.articles[0]!.title).toBe('caf\u00e9 & bar & co\u2026');
    const prefixed = await parse(
      '<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>P</a:title><a:entry><a:title>E</a:title><a:link href="https://p.example/e"/></a:entry></a:feed>',
    );
    expect(prefixed).toMatchObject({ format: 'atom', title: 'P' });
    expect(prefixed.articles[0]).toMatchObject({ title: 'E', link: 'https://p.example/e' });
  });

  it('throws FeedParseError with a code for bodies that are not feeds', async () => {
    await expect(parse('')).rejects.toMatchObject({ code: 'empty' });
    await expect(parse('<html><body>Not found</body></html>')).rejects.toMatchObject({ code: 'not-a-feed' });
    await expect(parse('\n \u200b')).rejects.toMatchObject({ code: 'empty' });
    await expect(parse('just some text')).rejects.toMatchObject({ code: 'not-a-feed' });
    await expect(parse('<note><to>x</to></note>')).rejects.toMatchObject({ code: 'not-a-feed' });
    await expect(parse('[1, 2]')).rejects.toMatchObject({ code: 'not-a-feed' });
    await expect(parse('{"rss": {"channel": {}}}')).rejects.toMatchObject({ code: 'not-a-feed' });
    await expect(parse('<html><body>Not found</body></html>')).rejects.toBeInstanceOf(FeedParseError);
    await expect(parse('{"version": ')).rejects.toMatchObject({ code: 'malformed-json' });
  });
});
