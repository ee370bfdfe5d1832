import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfig } from '../../../src/config/load.js';
import { writeConfigDir } from '../../support/config-dir.js';

/**
 * The mistakes people make in config files, each with the answer they should get: file, line, what is
 * wrong in their words (never zod's or the YAML library's jargon), and what to write instead.
 */

const FEEDS = 'feeds:\n  - id: wire\n    url: http://127.0.0.1:1/feed.xml\n';
const CHANNELS = 'channels:\n  - id: console\n    type: console\n';
const RULES = 'rules:\n  - id: r1\n    name: Rule one\n    query: troops\n    channels: [console]\n';

function problems(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): string[] {
  const result = loadConfig(writeConfigDir({ 'feeds.yaml': FEEDS, 'channels.yaml': CHANNELS, 'rules/a.yaml': RULES, ...files }), env);
  return result.ok ? [] : result.errors.map(formatProblem);
}

const JARGON =
  /Invalid (discriminator|input|option|string)|expected (record|object|array|string|number|int)\b|received (undefined|string|number|array|object)|Too (small|big)/;

const CASES: Array<{ name: string; files: Record<string, string>; env?: NodeJS.ProcessEnv; expect: string[] }> = [
  {
    name: 'a query starting with a quoted phrase',
    files: { 'rules/a.yaml': 'rules:\n  - id: r1\n    name: Rule one\n    query: "North Korea" troops\n    channels: [console]\n' },
    expect: [
      `rules/a.yaml:4: YAML: `,
      `quote the whole value with single quotes: query: '"North Korea" troops'`,
      `    query: "North Korea" troops\n                         ^`,
    ],
  },
  {
    name: 'an apostrophe inside single quotes',
    files: { 'rules/a.yaml': "rules:\n  - id: r1\n    name: Rule one\n    query: 'Kim's troops'\n    channels: [console]\n" },
    expect: ['rules/a.yaml:4: YAML: ', "inside single quotes write ' as '': query: 'Kim''s troops'"],
  },
  {
    name: 'a value containing ": "',
    files: { 'rules/a.yaml': 'rules:\n  - id: r1\n    name: NK troops: the sequel\n    query: troops\n    channels: [console]\n' },
    expect: ['rules/a.yaml:3: YAML: ', `quote a value containing ": ": name: 'NK troops: the sequel'`],
  },
  {
    name: '${VAR} inside a flow list',
    files: { 'rules/a.yaml': 'rules:\n  - id: r1\n    name: Rule one\n    query: troops\n    channels: [${HOOK}]\n' },
    expect: ['rules/a.yaml:5: YAML: ', 'quote ${VAR} inside [ ]: channels: ["${HOOK}"]'],
  },
  {
    name: 'a tab as indentation',
    files: { 'feeds.yaml': 'feeds:\n\t- id: wire\n' },
    expect: ['feeds.yaml:2: YAML: ', 'indent with spaces, not tabs'],
  },
  {
    name: 'an unknown channel type',
    files: { 'channels.yaml': 'channels:\n  - id: console\n    type: console\n  - id: chat\n    type: slak\n' },
    expect: [
      'channels.yaml:5 channels[1].type: unknown channel type "slak" (did you mean "slack"?); known channel types: webhook, email, console, file, slack',
    ],
  },
  {
    name: 'a channel without a type',
    files: { 'channels.yaml': 'channels:\n  - id: console\n' },
    expect: ['channels.yaml:2 channels[0].type: type is required; known channel types: webhook'],
  },
  {
    name: 'labels as a list',
    files: { 'rules/a.yaml': 'rules:\n  - id: r1\n    name: Rule one\n    query: troops\n    channels: [console]\n    labels: [dprk]\n' },
    expect: ['rules/a.yaml:6 rules[0].labels: expected keys with values (key: value lines), found a list'],
  },
  {
    name: 'a rules file that is a list',
    files: { 'rules/a.yaml': '- id: r1\n  name: Rule one\n  query: troops\n  channels: [console]\n' },
    expect: ['rules/a.yaml:1: expected keys with values (key: value lines), found a list'],
  },
  {
    name: 'a missing name and a misspelt severity',
    files: { 'rules/a.yaml': 'rules:\n  - id: r1\n    query: troops\n    channels: [console]\n    severity: hgh\n' },
    expect: [
      'rules/a.yaml:2 rules[0].name: name is required',
      'rules/a.yaml:5 rules[0].severity: the text "hgh" is not allowed (did you mean "high"?); use one of: info, low, medium, high, critical',
    ],
  },
  {
    name: 'a number where text belongs, a fraction where a whole number belongs',
    files: { 'settings.yaml': 'feeds:\n  max_redirects: many\n  per_host_concurrency: 1.5\n' },
    expect: [
      'settings.yaml:2 feeds.max_redirects: expected a number, found the text "many"',
      'settings.yaml:3 feeds.per_host_concurrency: expected a whole number, found the fraction 1.5',
    ],
  },
  {
    name: 'a misspelt URL scheme',
    files: { 'feeds.yaml': 'feeds:\n  - id: wire\n    url: htps://example.org/feed.xml\n' },
    expect: [
      'feeds.yaml:3 feeds[0].url: unknown URL scheme "htps:" (did you mean "https:"?): use http://, https://, file:// or a local path',
    ],
  },
  {
    name: 'an http URL without a host',
    files: { 'feeds.yaml': 'feeds:\n  - id: wire\n    url: http:/example.org/feed.xml\n' },
    expect: ['feeds.yaml:3 feeds[0].url: "http:/example.org/feed.xml" is not a valid http URL: write it as http://host/path'],
  },
  {
    name: 'a file URL naming another host',
    files: { 'feeds.yaml': 'feeds:\n  - id: wire\n    url: file://server/share/feed.xml\n' },
    expect: [
      'feeds.yaml:3 feeds[0].url: "file://server/share/feed.xml" is not a valid file URL: write file:///absolute/path or just the path',
    ],
  },
  {
    name: 'a local feed file that does not exist',
    files: { 'feeds.yaml': 'feeds:\n  - id: wire\n    url: feeds-local/missing.xml\n' },
    expect: ['feeds.yaml:3 feeds[0].url: no such file: ', 'missing.xml (relative paths are read from the config directory)'],
  },
  {
    name: 'an unset variable in a duration',
    files: { 'settings.yaml': 'feeds:\n  timeout: ${FEED_TIMEOUT}\n' },
    expect: [
      'settings.yaml:2 feeds.timeout: ${FEED_TIMEOUT} is not set: set it in the environment, or give a default: ${FEED_TIMEOUT:-value}',
    ],
  },
  {
    name: 'an unset variable in redis.url',
    files: { 'settings.yaml': 'redis:\n  url: ${TYPO}\n' },
    expect: ['settings.yaml:2 redis.url: ${TYPO} is not set'],
  },
  {
    name: 'an unset variable in a rule',
    files: { 'rules/a.yaml': 'rules:\n  - id: r1\n    name: Rule one\n    query: troops ${EXTRA}\n    channels: [console]\n' },
    expect: ['rules/a.yaml:4 rules[0].query: ${EXTRA} is not set'],
  },
];

describe('config mistakes get answers in the words of the files', () => {
  it.each(CASES)('$name', ({ files, env, expect: wanted }) => {
    const found = problems(files, env);
    const text = found.join('\n');
    expect(found.length, text).toBeGreaterThan(0);
    for (const part of wanted) expect(text).toContain(part);
    expect(text).not.toMatch(JARGON);
  });

  it('a variable with a value, or with a default, is no problem', () => {
    expect(
      problems(
        { 'settings.yaml': 'redis:\n  url: ${REDIS_AT}\nfeeds:\n  timeout: ${FEED_TIMEOUT:-20s}\n' },
        { REDIS_AT: 'redis://127.0.0.1:6390' },
      ),
    ).toEqual([]);
  });

  it('warns about an empty rules file as about an empty rules directory', () => {
    const result = loadConfig(
      writeConfigDir({ 'feeds.yaml': FEEDS, 'channels.yaml': CHANNELS, 'rules/a.yaml': RULES, 'rules/empty.yaml': '# nothing yet\n' }),
      {},
    );
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.warnings.map(formatProblem)).toEqual(['rules/empty.yaml:1: no rules in this file: it alerts on nothing']);
    const listed = loadConfig(writeConfigDir({ 'feeds.yaml': FEEDS, 'channels.yaml': CHANNELS, 'rules/a.yaml': 'rules: []\n' }), {});
    expect(listed.ok && listed.config.warnings.map(formatProblem)).toEqual(['rules/a.yaml:1: no rules in this file: it alerts on nothing']);
  });
});

describe('paths: inputs from the config directory, outputs to the data directory', () => {
  it('reads a relative feed path from the config directory, wherever newswatch runs', () => {
    const dir = writeConfigDir({
      'feeds.yaml': 'feeds:\n  - id: local\n    url: local/feed.xml\n',
      'channels.yaml': CHANNELS,
      'rules/a.yaml': RULES,
    });
    mkdirSync(join(dir, 'local'));
    writeFileSync(join(dir, 'local', 'feed.xml'), '<rss/>');
    const result = loadConfig(dir, {});
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.feeds[0]!.url).toBe(join(dir, 'local', 'feed.xml'));
  });

  it('writes a file channel below --data-dir, else NEWSWATCH_DATA, else ./data', () => {
    const channels =
      'channels:\n  - id: audit\n    type: file\n    path: alerts/audit.jsonl\n  - id: abs\n    type: file\n    path: /var/log/newswatch.jsonl\n';
    const dir = writeConfigDir({
      'feeds.yaml': FEEDS,
      'channels.yaml': channels,
      'rules/a.yaml': RULES.replace('[console]', '[audit, abs]'),
    });
    const paths = (env: NodeJS.ProcessEnv, dataDir?: string) => {
      const result = loadConfig(dir, env, { dataDir });
      if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
      return result.config.channels.map((c) => (c.type === 'file' ? c.path : ''));
    };
    expect(paths({}, '/srv/nw')).toEqual(['/srv/nw/alerts/audit.jsonl', '/var/log/newswatch.jsonl']);
    expect(paths({ NEWSWATCH_DATA: '/srv/env' })).toEqual(['/srv/env/alerts/audit.jsonl', '/var/log/newswatch.jsonl']);
    expect(paths({})[0]).toBe(join(process.cwd(), 'data', 'alerts', 'audit.jsonl'));
  });
});

describe('directories the loader cannot use', () => {
  it('says that --config names a file, not a directory', () => {
    const dir = writeConfigDir({ 'feeds.yaml': FEEDS, 'channels.yaml': CHANNELS, 'rules/a.yaml': RULES });
    const result = loadConfig(join(dir, 'feeds.yaml'), {});
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^is a file, not a directory: --config .*names the config directory.*\(for this file: --config /),
    ]);
  });

  it('reports a rules/ it cannot list instead of throwing', () => {
    const dir = writeConfigDir({ 'feeds.yaml': FEEDS, 'channels.yaml': CHANNELS, rules: 'not a directory' });
    const result = loadConfig(dir, {});
    expect(result.ok ? [] : result.errors.map(formatProblem)).toEqual([
      expect.stringMatching(/^rules\/:1: .*rules is a file: rules\/ must be a directory of rule files/),
    ]);
  });
});
