import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testRuleCommand, type TestRuleOptions } from '../../src/cli/test-rule.js';
import { writeConfigDir } from '../support/config-dir.js';
import { captureOutput } from '../support/capture-output.js';

const run = (opts: TestRuleOptions) => captureOutput(() => testRuleCommand(opts));

describe('newswatch test-rule', () => {
  const dir = writeConfigDir({
    'feeds.yaml': 'feeds: []\n',
    'channels.yaml': 'channels:\n  - id: console\n    type: console\n',
    'rules/r.yaml':
      'rules:\n  - id: nk\n    name: NK\n    query: \'"North Korea" NEAR/10 troops\'\n    exclude: podcast\n    channels: [console]\n',
    'article.json': JSON.stringify({ title: 'Podcast: North Korea sends troops', content: 'An episode.' }),
    'article.txt': 'Pyongyang sends troops\nNorth Korea will send 6,000 troops to Kursk.',
  });

  it('exits 0 and explains a match', async () => {
    const { code, out } = await run({ query: '"North Korea" NEAR/10 troops', text: 'North Korea sends troops to Kursk' });
    expect(code).toBe(0);
    expect(out).toMatch(/^MATCH/);
    expect(out).toContain('«North Korea» sends «troops»');
  });

  it('exits 1 when nothing matches', async () => {
    expect((await run({ query: 'troops AND Kursk', text: 'Seoul shares rise' })).code).toBe(1);
  });

  it('exits 2 with the column and a caret for a bad query', async () => {
    const { code, err } = await run({ query: '(troops OR', text: 'x' });
    expect(code).toBe(2);
    expect(err).toContain('(troops OR\n');
    expect(err).toMatch(/\^/);
  });

  it('exits 2 for unreadable input and for a missing input', async () => {
    const missing = await run({ query: 'troops', article: join(dir, 'missing.json') });
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(
      `newswatch test-rule: --article ${join(dir, 'missing.json')}: cannot read it: ENOENT: no such file or directory, open '${join(dir, 'missing.json')}'\n`,
    );
    const directory = await run({ query: 'troops', article: dir });
    expect(directory.err).toContain(`--article ${dir}: cannot read it: EISDIR`);
    expect((await run({ query: 'troops' })).code).toBe(2);
  });

  it('tests a configured rule, exclude included, on JSON and text articles', async () => {
    expect((await run({ rule: 'nk', config: dir, article: join(dir, 'article.txt') })).code).toBe(0);
    expect((await run({ rule: 'nk', config: dir, article: join(dir, 'article.json') })).code).toBe(1);
    expect((await run({ rule: 'nope', config: dir, text: 'x' })).err).toContain('no rule "nope"');
  });

  it('takes term sets for --query from terms.yaml alone: the rest of the config is not read', async () => {
    // No feeds.yaml or channels.yaml, and a rules file that would not load: none of it concerns a query.
    const termsOnly = writeConfigDir({ 'terms.yaml': 'terms:\n  dprk: ["North Korea", Pyongyang]\n', 'rules/broken.yaml': 'rules: [' });
    const { code, err } = await run({ query: '@dprk AND troops', config: termsOnly, text: 'Pyongyang sends troops' });
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('prints JSON lines for every article of a feed file', async () => {
    const feed = join(dir, 'feed.xml');
    writeFileSync(
      feed,
      '<rss version="2.0"><channel><title>t</title><item><title>North Korea troops</title><guid>1</guid></item><item><title>Markets</title><guid>2</guid></item></channel></rss>',
    );
    const { code, out } = await run({ query: '"north korea" troops', feed, json: true });
    expect(code).toBe(0);
    expect(
      out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).matched),
    ).toEqual([true, false]);
  });
});
