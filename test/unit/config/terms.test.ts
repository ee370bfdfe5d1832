import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfig } from '../../../src/config/load.js';
import { writeConfigDir } from '../../support/config-dir.js';

const FEEDS = 'feeds:\n  - id: wire\n    url: http://127.0.0.1:1/feed.xml\n';
const CHANNELS = 'channels:\n  - id: console\n    type: console\n';
const rule = (query: string, extra = '') =>
  `rules:\n  - id: r1\n    name: Rule one\n    query: '${query}'\n    channels: [console]\n${extra}`;

function load(files: Record<string, string>) {
  return loadConfig(writeConfigDir({ 'feeds.yaml': FEEDS, 'channels.yaml': CHANNELS, ...files }), {});
}

function problems(files: Record<string, string>): string[] {
  const result = load(files);
  if (result.ok) throw new Error('expected the config to be invalid');
  return result.errors.map(formatProblem);
}

describe('terms.yaml', () => {
  it('is optional, and its sets are usable in every rule file', () => {
    expect(load({ 'rules/a.yaml': rule('troops') }).ok).toBe(true);
    const result = load({
      'terms.yaml': 'terms:\n  north_korea: ["North Korea", DPRK, 북한]\n  troops: [troops, ~войска]\n',
      'rules/a.yaml': rule('@north_korea AND @troops'),
    });
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    const match = result.config.ruleSet.match(
      {
        id: 'a',
        feedId: 'wire',
        title: 'КНДР? No: DPRK войсками',
        link: '',
        summary: '',
        content: '',
        author: '',
        categories: [],
        published: new Date().toISOString(),
        fetchedAt: '',
      },
      { feedTags: [], now: Date.now() },
    );
    expect(match.map((hit) => hit.explain().matched)).toEqual([['dprk', '~войска']]);
  });

  it('names the rule file and line for an unknown set in a query', () => {
    const out = problems({ 'terms.yaml': 'terms:\n  troops: [troops]\n', 'rules/a.yaml': rule('@troop AND Kursk') });
    expect(out[0]).toMatch(/^rules\/a\.yaml:4 rules\[0\]\.query: unknown term set '@troop' \(did you mean '@troops'\?\)/);
  });

  it('names the terms.yaml line of a cycle or an unknown include', () => {
    const out = problems({
      'terms.yaml': 'terms:\n  a: [x, "@b"]\n  b: ["@a"]\n  c: ["@nope"]\n',
      'rules/a.yaml': rule('troops'),
    });
    expect(out).toEqual([
      'terms.yaml:3 terms.b[0]: term sets include each other in a cycle: @a -> @b -> @a',
      'terms.yaml:4 terms.c[0]: unknown term set "@nope"',
    ]);
  });

  it('hints to quote a set reference YAML cannot read unquoted', () => {
    const out = problems({ 'terms.yaml': 'terms:\n  all: [@a]\n  a: [x]\n', 'rules/a.yaml': rule('troops') });
    expect(out[0]).toMatch(
      /^terms\.yaml:2: YAML: Plain value cannot start with reserved character @; quote a value starting with @: "@name"\n {2}all: \[@a\]\n {8}\^/,
    );
  });

  it('validates a rule-level stem language', () => {
    expect(problems({ 'rules/a.yaml': rule('войска', '    stem: xx\n') })[0]).toMatch(/^rules\/a\.yaml:6 rules\[0\]\.stem: /);
    expect(load({ 'rules/a.yaml': rule('войска', '    stem: ru\n') }).ok).toBe(true);
  });
});
