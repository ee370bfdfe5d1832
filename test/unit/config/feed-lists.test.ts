import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfig } from '../../../src/config/load.js';
import { writeConfigDir } from '../../support/config-dir.js';

const CHANNELS = 'channels:\n  - id: ops\n    type: console\n';
const opml = (outlines: string) => `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>${outlines}</body></opml>`;

describe('feed lists: feeds.yaml, feeds/*.yaml and feeds/*.opml', () => {
  it('loads feeds.yaml, then feeds/*.yaml in name order, then OPML outlines not configured yet', () => {
    const result = loadConfig(
      writeConfigDir({
        'feeds.yaml': 'feeds:\n  - id: a\n    url: https://a.example/feed.xml\n',
        'feeds/20-more.yaml': 'feeds:\n  - id: c\n    url: https://c.example/feed.xml\n    interval: 10m\n',
        'feeds/10-some.yml': 'feeds:\n  - id: b\n    url: https://b.example/feed.xml\n',
        'feeds/reader.opml': opml(
          '<outline text="World"><outline text="Le Monde" xmlUrl="https://lemonde.example/rss"/><outline text="A again" xmlUrl="https://a.example/feed.xml"/></outline>',
        ),
        'channels.yaml': CHANNELS,
      }),
      {},
    );
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.feeds.map((f) => [f.id, f.url, f.interval, f.tags])).toEqual([
      ['a', 'https://a.example/feed.xml', 300_000, []],
      ['b', 'https://b.example/feed.xml', 300_000, []],
      ['c', 'https://c.example/feed.xml', 600_000, []],
      // The OPML copy of a's URL is the same feed: not added twice. Folders become tags.
      ['le-monde', 'https://lemonde.example/rss', 300_000, ['world']],
    ]);
    expect(result.config.feedById.get('le-monde')?.enabled).toBe(true);
  });

  it('needs no feeds.yaml when feeds/ holds the lists, and names the file of a duplicate id', () => {
    const ok = loadConfig(
      writeConfigDir({ 'feeds/x.yaml': 'feeds:\n  - id: a\n    url: https://a.example/\n', 'channels.yaml': CHANNELS }),
      {},
    );
    expect(ok.ok).toBe(true);
    const dup = loadConfig(
      writeConfigDir({
        'feeds.yaml': 'feeds:\n  - id: a\n    url: https://a.example/\n',
        'feeds/x.yaml': 'feeds:\n  - id: b\n    url: https://b.example/\n  - id: a\n    url: https://a2.example/\n',
        'channels.yaml': CHANNELS,
      }),
      {},
    );
    expect(dup.ok).toBe(false);
    if (!dup.ok)
      expect(dup.errors.map(formatProblem)).toEqual(['feeds/x.yaml:4 feeds[1].id: duplicate feed id "a" (first defined at feeds.yaml:2)']);
  });

  it('reports a broken list with its file and line and keeps rule feed references unchecked', () => {
    const result = loadConfig(
      writeConfigDir({
        'feeds.yaml': 'feeds: []\n',
        'feeds/bad.yaml': 'feeds:\n  - id: a\n    url: https://a.example/\n    intervall: 5m\n',
        'feeds/bad.opml': '<opml><body><outline',
        'channels.yaml': CHANNELS,
        'rules/r.yaml': 'rules:\n  - id: r\n    name: R\n    query: x\n    channels: [ops]\n    feeds: [a]\n',
      }),
      {},
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.errors.map(formatProblem);
    expect(messages).toContainEqual(
      expect.stringMatching(/^feeds\/bad\.yaml:4 feeds\[0\]\.intervall: unknown key "intervall" \(did you mean "interval"\?\)/),
    );
    expect(messages).toContainEqual(expect.stringMatching(/^feeds\/bad\.opml:1: not well-formed XML/));
    expect(messages.some((m) => m.includes('unknown feed'))).toBe(false);
  });

  it('reads YAML syntax errors with their line, and unset variables in feed urls', () => {
    const syntax = loadConfig(
      writeConfigDir({ 'feeds.yaml': 'feeds:\n  - id: a\n    url: "https://a.example/\n', 'channels.yaml': CHANNELS }),
      {},
    );
    expect(syntax.ok).toBe(false);
    if (!syntax.ok) expect(syntax.errors[0]).toMatchObject({ file: 'feeds.yaml', message: expect.stringMatching(/^YAML: /) });
    const unset = loadConfig(
      writeConfigDir({ 'feeds.yaml': 'feeds:\n  - id: a\n    url: https://a.example/?key=${FEED_KEY}\n', 'channels.yaml': CHANNELS }),
      {},
    );
    expect(unset.ok).toBe(false);
    if (!unset.ok)
      expect(unset.errors.map(formatProblem)).toEqual([
        'feeds.yaml:3 feeds[0].url: ${FEED_KEY} is not set: set it in the environment, or give a default: ${FEED_KEY:-value}',
      ]);
    const set = loadConfig(
      writeConfigDir({ 'feeds.yaml': 'feeds:\n  - id: a\n    url: https://a.example/?key=${FEED_KEY}\n', 'channels.yaml': CHANNELS }),
      { FEED_KEY: 's3cret' },
    );
    expect(set.ok && set.config.feeds[0]!.url).toBe('https://a.example/?key=s3cret');
  });
});
