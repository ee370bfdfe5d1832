import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfig } from '../../../src/config/load.js';
import { writeConfigDir } from '../../support/config-dir.js';

const FEEDS = 'feeds:\n  - id: wire\n    url: http://127.0.0.1:1/feed.xml\n';
const CHANNELS = 'channels:\n  - id: console\n    type: console\n';
const RULES = 'rules:\n  - id: r1\n    name: Rule one\n    query: troops AND Kursk\n    channels: [console]\n';

function load(files: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  return loadConfig(writeConfigDir({ 'feeds.yaml': FEEDS, 'channels.yaml': CHANNELS, 'rules/a.yaml': RULES, ...files }), env);
}

function problems(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): string[] {
  const result = load(files, env);
  if (result.ok) throw new Error('expected the config to be invalid');
  return result.errors.map(formatProblem);
}

describe('loadConfig', () => {
  it('loads a valid directory with defaults applied', () => {
    const result = load({});
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.feeds[0]).toMatchObject({ id: 'wire', interval: 300_000, enabled: true, tags: [] });
    expect(result.config.rules[0]).toMatchObject({ id: 'r1', severity: 'medium', source: { file: 'rules/a.yaml', line: 2 } });
    expect(result.config.ruleSet.size).toBe(1);
    expect(result.config.settings.delivery.retry_schedule).toHaveLength(7);
  });

  it('reads http.listen off (the listener disabled)', () => {
    const result = load({ 'settings.yaml': 'http: { listen: off }\n' });
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.settings.http.listen).toBe('off');
  });

  it('names file, line and path for an unknown channel reference', () => {
    const rules = `rules:
  - id: ok
    name: fine
    query: a
    channels: [console]
  - id: bad
    name: typo
    query: b
    channels: [console, opps]
`;
    expect(problems({ 'rules/korea.yaml': rules })).toContain('rules/korea.yaml:9 rules[1].channels[1]: unknown channel "opps"');
  });

  it('rejects unknown keys with a suggestion, and reports every problem at once', () => {
    const feeds =
      'feeds:\n  - id: wire\n    url: http://x.test/\n    intervall: 5m\n  - id: two\n    url: http://y.test/\n    interval: 5s\n';
    const found = problems({ 'feeds.yaml': feeds });
    expect(found).toContain('feeds.yaml:4 feeds[0].intervall: unknown key "intervall" (did you mean "interval"?)');
    expect(found.some((p) => p.startsWith('feeds.yaml:7 feeds[1].interval: "5s" is below the minimum of 10s'))).toBe(true);
  });

  it('rejects duplicate ids, also across rule files', () => {
    const found = problems({ 'rules/b.yaml': 'rules:\n  - id: r1\n    name: again\n    query: x\n    channels: [console]\n' });
    expect(found).toContain('rules/b.yaml:2 rules[0].id: duplicate rule id "r1" (first defined at rules/a.yaml:2)');
  });

  it('reports a bad query with the rule file and line and a caret', () => {
    const found = problems({
      'rules/a.yaml': "rules:\n  - id: r1\n    name: n\n    query: '(troops OR soldiers'\n    channels: [console]\n",
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^rules\/a\.yaml:4 rules\[0\]\.query: .*expected '\)'/);
    expect(found[0]).toContain('^');
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problems({ 'channels.yaml': 'channels:\n  - id: console\n    type: [console\n' })[0]).toMatch(/^channels\.yaml:\d+: YAML: /);
  });

  it('reads concurrency.dispatch, which is the match value unless set', () => {
    const concurrency = (settings: string) => {
      const result = load({ 'settings.yaml': settings });
      if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
      return result.config.settings.concurrency;
    };
    expect(concurrency('')).toEqual({ fetch: 32, match: 2, dispatch: 2, deliver: 8 });
    expect(concurrency('concurrency: { match: 5 }\n')).toMatchObject({ match: 5, dispatch: 5 });
    expect(concurrency('concurrency: { match: 5, dispatch: 3 }\n')).toMatchObject({ match: 5, dispatch: 3 });
    expect(problems({ 'settings.yaml': 'concurrency:\n  dispach: 3\n' })).toEqual([
      'settings.yaml:2 concurrency.dispach: unknown key "dispach" (did you mean "dispatch"?)',
    ]);
  });

  it('interpolates ${VAR} and ${VAR:-default} anywhere', () => {
    const result = load(
      { 'feeds.yaml': 'feeds:\n  - id: wire\n    url: ${FEED_URL}\n    interval: ${INTERVAL:-1m}\n' },
      { FEED_URL: 'http://feeds.test/rss' },
    );
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.feeds[0]).toMatchObject({ url: 'http://feeds.test/rss', interval: 60_000 });
  });

  it('disables a channel whose required value is unset, with one warning, and keeps the rest', () => {
    const channels = `${CHANNELS}  - id: hook
    type: webhook
    url: \${HOOK_URL}
    secret: \${HOOK_SECRET:-}
`;
    const rules = 'rules:\n  - id: r1\n    name: n\n    query: troops\n    channels: [console, hook]\n';
    const result = load({ 'channels.yaml': channels, 'rules/a.yaml': rules });
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.channels.map((c) => c.id)).toEqual(['console']);
    expect(result.config.warnings.map(formatProblem)).toEqual([
      'channels.yaml:4 channels[1]: channel "hook" disabled: environment variable HOOK_URL is not set',
    ]);

    const withEnv = load({ 'channels.yaml': channels, 'rules/a.yaml': rules }, { HOOK_URL: 'https://hooks.test/x' });
    expect(withEnv.ok && withEnv.config.channels.map((c) => c.id)).toEqual(['console', 'hook']);
  });

  // An optional value left empty changes what the channel does (unsigned webhooks, no SMTP login, headers
  // without their token): every unset variable in a channel disables it, as in a required value.
  it.each([
    ['an optional secret', 'type: webhook\n    url: https://hooks.test/x\n    secret: ${HOOK_SECRET}', 'HOOK_SECRET'],
    [
      'one secret of a rotation list',
      'type: webhook\n    url: https://hooks.test/x\n    secret: ["whsec_bmV3", "${OLD_SECRET}"]',
      'OLD_SECRET',
    ],
    ['part of a required value', 'type: webhook\n    url: https://hooks.test/${HOOK_PATH}', 'HOOK_PATH'],
    [
      'a nested header value',
      'type: webhook\n    url: https://hooks.test/x\n    headers: { Authorization: "Bearer ${HOOK_TOKEN}" }',
      'HOOK_TOKEN',
    ],
    [
      'an optional login',
      'type: email\n    to: ops@example.test\n    from: nw@example.test\n    host: smtp.example.test\n    pass: ${SMTP_PASS}',
      'SMTP_PASS',
    ],
    ['an optional token', 'type: ntfy\n    url: https://ntfy.test/topic\n    token: ${NTFY_TOKEN}', 'NTFY_TOKEN'],
  ])('disables a channel when %s is unset, with the same warning, and keeps the rest', (_what, fields, variable) => {
    const channels = `${CHANNELS}  - id: out\n    ${fields}\n`;
    const rules = 'rules:\n  - id: r1\n    name: n\n    query: troops\n    channels: [console, out]\n';
    const result = load({ 'channels.yaml': channels, 'rules/a.yaml': rules });
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.channels.map((c) => c.id)).toEqual(['console']);
    expect(result.config.warnings.map(formatProblem)).toEqual([
      `channels.yaml:4 channels[1]: channel "out" disabled: environment variable ${variable} is not set`,
    ]);

    const withEnv = load({ 'channels.yaml': channels, 'rules/a.yaml': rules }, { [variable]: 'c2VjcmV0' });
    if (!withEnv.ok) throw new Error(withEnv.errors.map(formatProblem).join('\n'));
    expect(withEnv.config.channels.map((c) => c.id)).toEqual(['console', 'out']);
    expect(withEnv.config.warnings).toEqual([]);
  });

  it('keeps a channel whose optional value is ${VAR:-} (empty on purpose)', () => {
    const channels = `${CHANNELS}  - id: hook\n    type: webhook\n    url: https://hooks.test/x\n    secret: \${HOOK_SECRET:-}\n`;
    const result = load({ 'channels.yaml': channels });
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.channels.map((c) => c.id)).toEqual(['console', 'hook']);
    expect(result.config.warnings).toEqual([]);
  });

  it('still rejects a channel that is wrong for another reason than a missing env var', () => {
    const channels = `${CHANNELS}  - id: hook\n    type: webhook\n    url: not a url\n`;
    expect(problems({ 'channels.yaml': channels })).toContain('channels.yaml:6 channels[1].url: url must be an http(s) URL');
  });

  it('says which file is missing', () => {
    const result = loadConfig(writeConfigDir({ 'channels.yaml': CHANNELS }), {});
    expect(!result.ok && result.errors.map(formatProblem)[0]).toMatch(/^feeds\.yaml:1: missing: create /);
  });
});
