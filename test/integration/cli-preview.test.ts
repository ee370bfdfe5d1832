import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { previewCommand, type PreviewOptions } from '../../src/cli/preview.js';
import { writeConfigDir } from '../support/config-dir.js';
import { captureOutput } from '../support/capture-output.js';
import { FeedServer } from '../support/feed-server.js';

const run = (opts: PreviewOptions) => captureOutput(() => previewCommand(opts));

describe('newswatch preview', () => {
  const dir = writeConfigDir({
    'settings.yaml': 'alerts: { timezone: Asia/Seoul }\nhttp: { public_url: "https://newswatch.example.org/" }\n',
    'feeds.yaml': 'feeds: []\n',
    'channels.yaml': [
      'channels:',
      '  - { id: desk-mail, type: email, to: desk@example.org, from: nw@example.org, host: smtp.example.org }',
      '  - { id: slack-desk, type: slack, url: "https://hooks.slack.com/services/T000/B000/SECRETPATH" }',
      '  - { id: phone, type: ntfy, url: "https://ntfy.sh/topic", token: tk_secret }',
      '',
    ].join('\n'),
    'rules/r.yaml':
      'rules:\n  - id: nk\n    name: NK troops\n    query: \'"North Korea" NEAR/10 troops\'\n    severity: high\n    channels: [desk-mail, slack-desk, phone]\n',
    'article.txt': 'North Korea to send 6,000 troops to Kursk\nNorth Korea will send 6,000 troops to Kursk, an official said.',
    'other.txt': 'Seoul shares rise\nNothing about the north.',
  });
  const outDir = () => mkdtempSync(join(tmpdir(), 'newswatch-preview-'));

  it('writes the email as HTML and text and each chat payload as JSON, sending nothing and hiding secrets', async () => {
    const out = outDir();
    const { code, out: printed } = await run({ config: dir, article: join(dir, 'article.txt'), out });
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['nk.desk-mail.html', 'nk.desk-mail.txt', 'nk.phone.json', 'nk.slack-desk.json']);
    expect(printed.trim().split('\n')).toHaveLength(4);
    const html = readFileSync(join(out, 'nk.desk-mail.html'), 'utf8');
    expect(html).toContain('North Korea to send 6,000 troops to Kursk');
    expect(html).toMatch(/<mark [^>]*>North Korea<\/mark>/);
    expect(html).toContain('href="https://newswatch.example.org/"');
    expect(readFileSync(join(out, 'nk.desk-mail.txt'), 'utf8')).toMatch(/^Subject: \[newswatch\] \[NK troops\] North Korea to send/);
    const slack = JSON.parse(readFileSync(join(out, 'nk.slack-desk.json'), 'utf8'));
    expect(slack).toMatchObject({ method: 'POST', contentType: 'application/json', body: { blocks: expect.any(Array) } });
    expect(JSON.stringify(slack)).not.toContain('SECRETPATH');
    const ntfy = JSON.parse(readFileSync(join(out, 'nk.phone.json'), 'utf8'));
    expect(ntfy.headers).toMatchObject({ Priority: '4', Authorization: '(hidden)' });
    expect(ntfy.body).toContain('KST');
  });

  it('limits to one rule and one channel, and takes the first matching article of a feed', async () => {
    const server = new FeedServer();
    server.setItems([
      { guid: '1', title: 'Seoul shares rise', description: 'Markets up.' },
      { guid: '2', title: 'North Korea sends troops', description: 'North Korea sends more troops.' },
    ]);
    const feedUrl = await server.start();
    try {
      const out = outDir();
      const { code } = await run({ config: dir, rule: 'nk', channel: 'slack-desk', feed: feedUrl, out });
      expect(code).toBe(0);
      expect(readdirSync(out)).toEqual(['nk.slack-desk.json']);
      expect(readFileSync(join(out, 'nk.slack-desk.json'), 'utf8')).toContain('North Korea sends troops');
    } finally {
      await server.stop();
    }
  });

  it('renders a sample alert when no article is given', async () => {
    const out = outDir();
    expect((await run({ config: dir, channel: 'desk-mail', out })).code).toBe(0);
    expect(readFileSync(join(out, 'nk.desk-mail.html'), 'utf8')).toContain('Sample article for &#34;NK troops&#34;');
  });

  it('exits 1 when no given article matches and 2 for an unknown rule or channel', async () => {
    expect((await run({ config: dir, article: join(dir, 'other.txt'), out: outDir() })).code).toBe(1);
    const rule = await run({ config: dir, rule: 'nope', out: outDir() });
    expect(rule.code).toBe(2);
    expect(rule.err).toContain('no rule "nope"');
    expect((await run({ config: dir, channel: 'nope', out: outDir() })).code).toBe(2);
  });
});
