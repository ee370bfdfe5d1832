import { describe, expect, it } from 'vitest';
import { channelTypes, createChannel } from '../../../src/alerts/channels/index.js';
import { formatProblem, loadConfig } from '../../../src/config/load.js';
import { channelSchema } from '../../../src/config/schema.js';
import { writeConfigDir } from '../../support/config-dir.js';

const FEEDS = 'feeds:\n  - id: wire\n    url: http://127.0.0.1:1/feed.xml\n';
const RULES = 'rules:\n  - id: r1\n    name: Rule one\n    query: troops\n    channels: [desk]\n';
const load = (channels: string, env: NodeJS.ProcessEnv = {}) =>
  loadConfig(writeConfigDir({ 'feeds.yaml': FEEDS, 'channels.yaml': channels, 'rules/a.yaml': RULES }), env);

const minimal: Record<string, Record<string, unknown>> = {
  webhook: { url: 'https://hooks.example/x' },
  email: { to: 'desk@example.test', from: 'nw@example.test', host: 'smtp.example.test' },
  console: {},
  file: { path: '/tmp/alerts.jsonl' },
  slack: { url: 'https://hooks.slack.com/services/T/B/X' },
  discord: { url: 'https://discord.com/api/webhooks/1/abc' },
  teams: { url: 'https://prod.workflows.example/webhook' },
  ntfy: { url: 'https://ntfy.sh/newswatch-desk' },
  telegram: { token: '123456:ABC-def_1', chat_id: -1001234 },
};

describe('channel registry', () => {
  it('has an entry per type, keyed by the type its schema accepts, and builds a channel of that type', () => {
    expect(Object.keys(channelTypes).sort()).toEqual(Object.keys(minimal).sort());
    for (const type of Object.keys(channelTypes)) {
      const config = channelSchema.parse({ id: `c-${type}`, type, ...minimal[type] });
      const channel = createChannel(config, { timeoutMs: 1000 });
      expect([channel.type, channel.id]).toEqual([type, `c-${type}`]);
      void channel.close?.();
    }
  });

  it('gives every type the common fields and rejects unknown keys', () => {
    for (const type of Object.keys(channelTypes)) {
      expect(channelSchema.parse({ id: 'x', type, enabled: false, ...minimal[type] })).toMatchObject({ id: 'x', enabled: false });
      expect(channelSchema.safeParse({ id: 'x', type, ...minimal[type], colour: 'red' }).success).toBe(false);
    }
  });
});

describe('channel config errors', () => {
  it('reports a template syntax error at load, with file, line and path', () => {
    const result = load(`channels:
  - id: desk
    type: slack
    url: https://hooks.slack.com/services/T/B/X
    template:
      title: "{{ article.title }}"
      body: "{% if story %}{{ story.sources }} sources"
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(formatProblem)).toEqual([
      expect.stringMatching(/^channels\.yaml:7 channels\[0\]\.template\.body: template does not parse: tag \{% if story %\} not closed/),
    ]);
  });

  it('reports an unknown filter and a template field the channel does not have', () => {
    const result = load(`channels:
  - id: desk
    type: email
    to: desk@example.test
    from: nw@example.test
    host: smtp.example.test
    template:
      subject: "{{ article.title | shout }}"
  - id: other
    type: ntfy
    url: https://ntfy.sh/t
    template: { subject: "x" }
`);
    if (result.ok) throw new Error('expected errors');
    const lines = result.errors.map(formatProblem);
    expect(lines).toContainEqual(
      expect.stringMatching(/^channels\.yaml:8 channels\[0\]\.template\.subject: template does not parse: undefined filter: shout/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^channels\.yaml:12 channels\[1\]\.template\.subject: unknown key "subject"/));
  });

  it('disables a preset whose secret comes from an unset env var, with a warning naming the variable', () => {
    const result = load(`channels:
  - id: desk
    type: telegram
    token: \${TELEGRAM_TOKEN}
    chat_id: "@newsdesk"
`);
    if (!result.ok) throw new Error(result.errors.map(formatProblem).join('\n'));
    expect(result.config.channels).toEqual([]);
    expect(result.config.warnings.map(formatProblem)).toContainEqual(
      expect.stringContaining('environment variable TELEGRAM_TOKEN is not set'),
    );
  });

  it('never echoes a malformed token in the error', () => {
    const result = load(`channels:
  - id: desk
    type: telegram
    token: not-a-token-s3cr3t
    chat_id: 42
`);
    if (result.ok) throw new Error('expected errors');
    const text = result.errors.map(formatProblem).join('\n');
    expect(text).toMatch(/channels\.yaml:4 channels\[0\]\.token: token must be a bot token/);
    expect(text).not.toContain('s3cr3t');
  });
});
