import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { feedSchema, feedsFileSchema } from '../../../src/config/schema.js';
import { normaliseLink } from '../../../src/articles/identity.js';
import { buildOpml, type ExportFeed } from '../../../src/feeds/opml/build-opml.js';
import { FeedIdAllocator, isValidFeedId, preferredFeedId, slugify } from '../../../src/feeds/opml/feed-id.js';
import { OpmlError, parseOpml } from '../../../src/feeds/opml/parse-opml.js';
import { appendToFeedsYaml, feedEntriesYaml, planImport } from '../../../src/feeds/opml/plan-import.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/opml', name), 'utf8');

describe('slugify', () => {
  it('folds accents and special letters to ASCII and joins words with single hyphens', () => {
    expect(slugify('Le Monde — À la une')).toBe('le-monde-a-la-une');
    expect(slugify('Straße, Æsir & Łódź')).toBe('strasse-aesir-lodz');
    expect(slugify('  --News & Politics!!  ')).toBe('news-politics');
    expect(slugify('Ｆｕｌｌｗｉｄｔｈ １２３')).toBe('fullwidth-123');
  });

  it('gives an empty slug for scripts with no ASCII form', () => {
    expect(slugify('Тасс')).toBe('');
    expect(slugify('연합뉴스')).toBe('');
  });

  it('cuts long titles at a word boundary, at most 60 characters', () => {
    const slug = slugify('The quick brown fox jumps over the lazy dog again and again and again forever');
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug).toBe('the-quick-brown-fox-jumps-over-the-lazy-dog-again-and-again');
    expect(slugify('x'.repeat(100))).toBe('x'.repeat(60));
  });
});

describe('feed ids', () => {
  it('accepts exactly what the config schema accepts', () => {
    for (const id of ['bbc', 'BBC_World.v2', 'a-b', '9news', '-lead', '.hidden', 'has space', 'colon:id', '', 'ünï']) {
      expect(isValidFeedId(id), id).toBe(feedSchema.shape.id.safeParse(id).success);
    }
  });

  it('prefers a valid explicit id, then the title slug, then the host without www', () => {
    expect(preferredFeedId({ id: 'BBC_World', title: 'BBC World', url: 'https://bbc.co.uk/rss' })).toBe('BBC_World');
    expect(preferredFeedId({ id: 'not valid', title: 'BBC World', url: 'https://bbc.co.uk/rss' })).toBe('bbc-world');
    expect(preferredFeedId({ title: 'Тасс', url: 'https://www.tass.ru/rss/v2.xml' })).toBe('tass-ru');
    expect(preferredFeedId({ title: '', url: 'not a url' })).toBe('feed');
  });

  it('deduplicates against taken ids without regard to case: x, x-2, x-3', () => {
    const ids = new FeedIdAllocator(['bbc', 'BBC-2']);
    expect([ids.claim('bbc'), ids.claim('BBC'), ids.claim('nknews'), ids.claim('nknews')]).toEqual([
      'bbc-3',
      'BBC-4',
      'nknews',
      'nknews-2',
    ]);
  });
});

describe('parseOpml', () => {
  it('reads every outline with xmlUrl at any depth, with the enclosing categories as tags', () => {
    const doc = parseOpml(fixture('nested-opml1.opml'));
    expect(doc.title).toBe('Subscriptions of an analyst');
    expect(doc.feeds).toEqual([
      { url: 'https://en.yna.co.kr/RSS/nk.xml', title: 'Yonhap: North Korea', tags: ['news-politics', 'asia'], enabled: true },
      {
        url: 'https://www.lemonde.fr/asie-pacifique/rss_full.xml',
        title: 'Le Monde — Asie-Pacifique',
        tags: ['news-politics', 'asia'],
        enabled: true,
      },
      { url: 'https://meduza.io/rss/en/all', title: 'Meduza', tags: ['news-politics', 'europe'], enabled: true },
      {
        url: 'https://rss.sueddeutsche.de/rss/Politik?utm_source=reader&utm_medium=opml',
        title: 'Süddeutsche Zeitung',
        tags: ['news-politics', 'europe'],
        enabled: true,
      },
      { url: 'https://tass.ru/rss/v2.xml', title: 'Тасс', tags: [], enabled: true },
      { url: 'https://en.yna.co.kr/RSS/nk.xml#again', title: 'Yonhap: North Korea', tags: [], enabled: true },
      { url: 'http://old.example.org/feed', title: 'Old blog', tags: ['archive'], enabled: false },
    ]);
  });

  it('adds the steps of OPML 2.0 category paths to the folder tags', () => {
    const feeds = parseOpml(fixture('categories-opml2.opml').replace('encoding="ISO-8859-1"', '')).feeds;
    expect(feeds.map((f) => f.tags)).toEqual([['world', 'europe', 'breaking'], ['asia'], [], []]);
  });

  it('accepts an empty body and a byte order mark', () => {
    expect(parseOpml('\uFEFF<opml version="2.0"><head/><body/></opml>').feeds).toEqual([]);
  });

  it('refuses a DTD before any entity can expand (billion laughs, external entities)', () => {
    expect(() => parseOpml(fixture('billion-laughs.opml'))).toThrow(/refusing an OPML file with a DTD/);
    expect(() => parseOpml(fixture('external-entity.opml'))).toThrow(OpmlError);
  });

  it('says where XML is not well-formed, and when a file is not OPML at all', () => {
    expect(() => parseOpml(fixture('truncated.opml'))).toThrow(/not well-formed XML at line 5, column \d+: .*outline/);
    expect(() => parseOpml('<html><body><p>hi</p></body></html>')).toThrow('not an OPML file: the root element is <html>, expected <opml>');
    expect(() => parseOpml('<opml version="2.0"><head/></opml>')).toThrow('<opml> has no <body>');
    expect(() => parseOpml('just text')).toThrow(/not well-formed XML at line 1, column 1/);
  });
});

describe('planImport', () => {
  const outlines = parseOpml(fixture('nested-opml1.opml')).feeds;

  it('derives unique ids from titles and skips URLs already configured, compared normalised', () => {
    const plan = planImport(
      [
        { id: 'yonhap-north-korea', url: 'http://example.org/other' },
        { id: 'sz', url: 'https://RSS.sueddeutsche.de/rss/Politik' },
      ],
      outlines,
    );
    expect(plan.added.map((a) => [a.id, a.url])).toEqual([
      ['yonhap-north-korea-2', 'https://en.yna.co.kr/RSS/nk.xml'],
      ['le-monde-asie-pacifique', 'https://www.lemonde.fr/asie-pacifique/rss_full.xml'],
      ['meduza', 'https://meduza.io/rss/en/all'],
      ['tass-ru', 'https://tass.ru/rss/v2.xml'],
      ['old-blog', 'http://old.example.org/feed'],
    ]);
    expect(plan.skipped).toEqual([
      { url: 'https://rss.sueddeutsche.de/rss/Politik?utm_source=reader&utm_medium=opml', title: 'Süddeutsche Zeitung', existingId: 'sz' },
      { url: 'https://en.yna.co.kr/RSS/nk.xml#again', title: 'Yonhap: North Korea', existingId: 'yonhap-north-korea-2' },
    ]);
    expect(plan.added.find((a) => a.id === 'old-blog')).toEqual({
      id: 'old-blog',
      url: 'http://old.example.org/feed',
      tags: ['archive'],
      enabled: false,
    });
    expect(plan.added.find((a) => a.id === 'tass-ru')).toEqual({ id: 'tass-ru', url: 'https://tass.ru/rss/v2.xml' });
  });

  it('adds a feed listed in two folders once, with the tags of both', () => {
    const plan = planImport(
      [],
      [
        { url: 'http://a.example/feed', title: 'A', tags: ['world'], enabled: true },
        { url: 'http://A.example/feed?utm_campaign=x', title: 'A again', tags: ['asia'], enabled: true },
      ],
    );
    expect(plan.added).toEqual([{ id: 'a', url: 'http://a.example/feed', tags: ['world', 'asia'] }]);
    expect(plan.skipped).toHaveLength(1);
  });
});

const FEEDS_YAML = `# Feeds newswatch polls.
feeds:
  - id: yonhap-nk   # the wire
    url: https://en.yna.co.kr/RSS/nk.xml
    interval: 10m
    tags: [ korea ]

  # keep this one quiet
  - id: meduza-en
    url: "https://meduza.io/rss/en/all"
    enabled: false   # noisy
# end of list
`;

const ADDED =
  '  - id: le-monde\n    url: https://www.lemonde.fr/rss/une.xml?a=1&b=2\n    tags: [world, fr]\n  - id: old-blog\n    url: "http://old.example.org/feed: #1"\n    enabled: false\n';

describe('appendToFeedsYaml', () => {
  const entries = [
    { id: 'le-monde', url: 'https://www.lemonde.fr/rss/une.xml?a=1&b=2', tags: ['world', 'fr'] },
    { id: 'old-blog', url: 'http://old.example.org/feed: #1', enabled: false as const },
  ];

  it('inserts the entries after the last one and leaves every existing byte as it was', () => {
    const out = appendToFeedsYaml(FEEDS_YAML, entries);
    expect(out).toBe(FEEDS_YAML.replace('# end of list', `${ADDED}# end of list`));
    const file = feedsFileSchema.parse(parse(out));
    expect(file.feeds.map((f) => [f.id, f.url, f.enabled])).toEqual([
      ['yonhap-nk', 'https://en.yna.co.kr/RSS/nk.xml', true],
      ['meduza-en', 'https://meduza.io/rss/en/all', false],
      ['le-monde', 'https://www.lemonde.fr/rss/une.xml?a=1&b=2', true],
      ['old-blog', 'http://old.example.org/feed: #1', false],
    ]);
  });

  it('keeps the list indent, CRLF line ends, a last entry ending in a folded string, and a file without a final newline', () => {
    const folded = 'feeds:\r\n- id: a\r\n  url: http://a.example/\r\n  tags: >-\r\n    x\r\n\r\nother: 1\r\n';
    const out = appendToFeedsYaml(folded, entries.slice(0, 1));
    expect(out).toBe(
      folded.replace(
        '\r\n\r\nother',
        '\r\n- id: le-monde\r\n  url: https://www.lemonde.fr/rss/une.xml?a=1&b=2\r\n  tags: [world, fr]\r\n\r\nother',
      ),
    );
    expect(appendToFeedsYaml('feeds:\n  - {id: a, url: b}', entries.slice(1))).toBe(
      'feeds:\n  - {id: a, url: b}\n  - id: old-blog\n    url: "http://old.example.org/feed: #1"\n    enabled: false\n',
    );
  });

  it('starts a block list from an empty file, "feeds:" or "feeds: []"', () => {
    for (const start of ['', '# mine\nfeeds:\n', 'feeds: []\n']) {
      const out = appendToFeedsYaml(start, entries.slice(0, 1));
      expect(out).toContain('feeds:\n  - id: le-monde\n');
      expect(feedsFileSchema.parse(parse(out)).feeds).toHaveLength(1);
    }
  });

  it('refuses to rewrite a file that is not YAML or whose feeds is not a list', () => {
    expect(() => appendToFeedsYaml('feeds: [unclosed\n', entries)).toThrow(/not valid YAML/);
    expect(() => appendToFeedsYaml('feeds: {a: 1}\n', entries)).toThrow('"feeds" in feeds.yaml is not a list');
    expect(() => appendToFeedsYaml('- a\n', entries)).toThrow(/must be a mapping/);
  });

  it('prints the entries alone for a dry run', () => {
    expect(feedEntriesYaml(entries)).toBe(
      '- id: le-monde\n  url: https://www.lemonde.fr/rss/une.xml?a=1&b=2\n  tags: [world, fr]\n- id: old-blog\n  url: "http://old.example.org/feed: #1"\n  enabled: false\n',
    );
    expect(feedEntriesYaml([])).toBe('');
  });
});

describe('buildOpml', () => {
  const feeds: ExportFeed[] = [
    { id: 'BBC_World.v2', url: 'https://feeds.bbci.co.uk/news/world/rss.xml?a=1&b="2"', tags: ['world', 'uk'], enabled: true },
    { id: 'nknews', url: 'https://www.nknews.org/feed/', tags: ['korea'], enabled: false },
    { id: 'plain', url: 'http://example.org/<rss>', tags: [], enabled: true },
  ];

  it('nests feeds in their first tag and lists all tags as categories', () => {
    const xml = buildOpml(feeds);
    expect(xml).toContain('<opml version="2.0"');
    expect(xml).toContain('<outline text="world" title="world">');
    expect(xml).toContain('category="/world,/uk"');
    expect(xml).toContain('xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml?a=1&amp;b=&quot;2&quot;"');
    expect(xml).toContain('isComment="true"');
  });

  it('round-trips through import: same ids, urls, tags and enabled flags', () => {
    const plan = planImport([], parseOpml(buildOpml(feeds)).feeds);
    expect(plan.skipped).toEqual([]);
    expect(plan.added).toEqual([
      { id: 'BBC_World.v2', url: feeds[0]!.url, tags: ['world', 'uk'] },
      { id: 'nknews', url: feeds[1]!.url, tags: ['korea'], enabled: false },
      { id: 'plain', url: feeds[2]!.url },
    ]);
  });

  it('round-trips any valid ids and http urls (property)', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/);
    const url = fc.webUrl({ withQueryParameters: true });
    const feed = fc.record({
      id,
      url,
      tags: fc.array(fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/), { maxLength: 3 }),
      enabled: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.uniqueArray(feed, { selector: (f) => f.id.toLowerCase(), maxLength: 8 }), (list) => {
        // Distinct URLs: import rightly treats two feeds with one normalised URL as one.
        const distinct = list.filter((f, i) => list.findIndex((g) => normaliseLink(g.url) === normaliseLink(f.url)) === i);
        const plan = planImport([], parseOpml(buildOpml(distinct)).feeds);
        // Export groups feeds by folder, so compare in id order.
        const byId = (a: [string, string, boolean], b: [string, string, boolean]) => (a[0] < b[0] ? -1 : 1);
        expect(plan.added.map((a): [string, string, boolean] => [a.id, a.url, a.enabled ?? true]).sort(byId)).toEqual(
          distinct.map((f): [string, string, boolean] => [f.id, f.url, f.enabled]).sort(byId),
        );
      }),
      { numRuns: 200 },
    );
  });
});
