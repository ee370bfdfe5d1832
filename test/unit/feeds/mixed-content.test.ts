import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/feeds/parse/index.js';

const options = { feedId: 'news', url: 'https://example.com/feed.xml', fetchedAt: new Date('2025-01-02T03:04:05Z') };
const parse = (xml: string) => parseFeed(Buffer.from(xml, 'utf8'), options);

/** One item in each XML format, with `title` and `summary` as raw XML content (child elements allowed). */
const documents = {
  rss: (title: string, summary: string) =>
    `<rss version="2.0"><channel><title>F</title><item><title>${title}</title><link>https://example.com/1</link><description>${summary}</description></item></channel></rss>`,
  rdf: (title: string, summary: string) =>
    `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>F</title></channel><item rdf:about="https://example.com/1"><title>${title}</title><link>https://example.com/1</link><description>${summary}</description></item></rdf:RDF>`,
  atom: (title: string, summary: string) =>
    `<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${title}</div></title><id>1</id><link href="https://example.com/1"/><summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${summary}</div></summary></entry></feed>`,
};
const formats = Object.keys(documents) as Array<keyof typeof documents>;

// Mixed content as feeds write it: words with entities, inline elements, nested elements.
const word = fc.constantFrom('Kim', 'Putin', 'meet', '&amp;', 'in', 'Pyongyang', '서울', '2026');
type Segment = { xml: string; text: string };
const segment: fc.Arbitrary<Segment> = fc.letrec<{ seg: Segment }>((tie) => ({
  seg: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    word.map((w) => ({ xml: w, text: w.replace('&amp;', '&') })),
    fc.tuple(fc.constantFrom('i', 'b', 'em', 'span'), fc.array(tie('seg'), { minLength: 1, maxLength: 3 })).map(([tag, inner]) => ({
      xml: `<${tag}>${inner.map((s) => s.xml).join(' ')}</${tag}>`,
      text: inner.map((s) => s.text).join(' '),
    })),
  ),
})).seg;
const mixed = fc
  .array(segment, { minLength: 1, maxLength: 6 })
  .map((segs) => ({ xml: segs.map((s) => s.xml).join(' '), text: segs.map((s) => s.text).join(' ') }));

describe('mixed content keeps document order', () => {
  it.each(formats)('%s: the example from the report', async (format) => {
    const feed = await parse(documents[format]('Kim &amp; <i>Putin</i> meet', 'Talks <b>began</b> in <i>Pyongyang</i> today'));
    expect(feed.articles[0]).toMatchObject({ title: 'Kim & Putin meet', summary: 'Talks began in Pyongyang today' });
  });

  it.each(formats)('%s: titles and summaries read as the words appear, whatever the nesting', async (format) => {
    await fc.assert(
      fc.asyncProperty(mixed, mixed, async (title, summary) => {
        const [article] = (await parse(documents[format](title.xml, summary.xml))).articles;
        expect(article!.title).toBe(title.text);
        expect(article!.summary).toBe(summary.text);
      }),
      { numRuns: 60 },
    );
  });
});
