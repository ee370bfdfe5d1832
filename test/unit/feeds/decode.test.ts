import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../../src/feeds/parse/decode.js';
import { parseFeed } from '../../../src/feeds/parse/index.js';

const fetchedAt = new Date('2025-01-01T00:00:00Z');

function rss(title: string, declaration = ''): string {
  return `${declaration}<rss version="2.0"><channel><title>${title}</title><item><title>${title}</title></item></channel></rss>`;
}

describe('decodeBody', () => {
  it.each([
    ['windows-1252', 'Caf\u00e9 \u201cquoted\u201d \u20ac5'],
    ['iso-8859-2', 'Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105'],
    ['euc-kr', '\ubd81\ud55c \uad70\ub300'],
    ['koi8-r', '\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440'],
    ['windows-1251', '\u041c\u043e\u0441\u043a\u0432\u0430'],
    ['shift_jis', '\u6771\u4eac\u30cb\u30e5\u30fc\u30b9'],
    ['gb2312', '\u671d\u9c9c\u65b0\u95fb'],
    ['big5', '\u53f0\u7063\u65b0\u805e'],
  ])('reads %s from the XML declaration', async (encoding, text) => {
    const body = iconv.encode(rss(text, `<?xml version="1.0" encoding="${encoding}"?>`), encoding);
    const feed = await parseFeed(body, { feedId: 'f', url: 'https://x.example/', fetchedAt });
    expect(feed.title).toBe(text);
    expect(feed.articles[0]!.title).toBe(text);
  });

  it('lets the HTTP charset win over the XML declaration', () => {
    const body = iconv.encode(rss('\u041f\u0440\u0438\u0432\u0435\u0442', '<?xml version="1.0" encoding="iso-8859-1"?>'), 'koi8-r');
    expect(decodeBody(body, 'application/rss+xml; charset="KOI8-R"')).toMatchObject({ encoding: 'koi8-r' });
    expect(decodeBody(body, 'application/rss+xml; charset="KOI8-R"').text).toContain('\u041f\u0440\u0438\u0432\u0435\u0442');
  });

  it('reads UTF-16 with and without a BOM, and UTF-8 with a BOM', () => {
    const text = rss('\ub144 \u00e9');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    const beNoBom = iconv.encode(text, 'utf-16be');
    const utf8Bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(decodeBody(le)).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeBody(beNoBom)).toEqual({ text, encoding: 'utf-16be' });
    expect(decodeBody(utf8Bom)).toEqual({ text, encoding: 'utf-8' });
  });

  it('prefers a BOM over a contradicting HTTP charset', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rss('\u00e9t\u00e9'))]);
    expect(decodeBody(body, 'text/xml; charset=iso-8859-1').text).toContain('\u00e9t\u00e9');
  });

  it('ignores a stale single-byte declaration over valid UTF-8, and an unknown charset name', () => {
    const utf8 = Buffer.from(rss('\ud55c\uad6d\uc5b4 \u20ac', '<?xml version="1.0" encoding="ISO-8859-1"?>'));
    expect(decodeBody(utf8).text).toContain('\ud55c\uad6d\uc5b4 \u20ac');
    const bogus = Buffer.from(rss('caf\u00e9', '<?xml version="1.0" encoding="bogus"?>'));
    expect(decodeBody(bogus)).toMatchObject({ encoding: 'utf-8' });
  });

  it('falls back to windows-1252 for undeclared bytes that are not UTF-8', () => {
    const body = iconv.encode(rss('don\u2019t \u00e9'), 'windows-1252');
    expect(decodeBody(body)).toMatchObject({ encoding: 'windows-1252' });
    expect(decodeBody(body).text).toContain('don\u2019t \u00e9');
  });
});
