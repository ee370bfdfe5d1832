import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRunCommand } from '../../src/cli/dry-run.js';
import { writeConfigDir } from '../support/config-dir.js';
import { rss } from '../support/feed-server.js';
import { captureOutput } from '../support/capture-output.js';

const run = (opts: Parameters<typeof dryRunCommand>[0]) => captureOutput(() => dryRunCommand(opts));

describe('newswatch dry-run', () => {
  const dir = writeConfigDir({
    'feeds.yaml': 'feeds: []\n',
    'channels.yaml': 'channels:\n  - id: console\n    type: console\n',
    'rules/r.yaml': 'rules:\n  - id: nk\n    name: NK troops\n    query: \'"North Korea" AND troops\'\n    channels: [console]\n',
    // Nothing answers here: dry-run must not need Redis.
    'settings.yaml': 'redis: { url: "redis://127.0.0.1:1" }\n',
  });
  const feed = join(dir, 'wire.xml');
  writeFileSync(
    feed,
    rss([
      { guid: '1', title: 'North Korea sends troops to Kursk', description: 'Report.' },
      { guid: '2', title: 'Markets close higher', description: 'Stocks.' },
    ]),
  );

  it('prints one JSON line per alert it would send, and exits 0', async () => {
    const { code, out } = await run({ config: dir, feed: [feed], json: true });
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      rule: { id: 'nk', name: 'NK troops' },
      channels: ['console'],
      article: { title: 'North Korea sends troops to Kursk' },
    });
    expect(lines[0].matched).toEqual(['"north korea"', 'troops']);
  });

  it('exits 1 when nothing would alert, 2 on an invalid config (it could not run)', async () => {
    const quiet = join(dir, 'quiet.xml');
    writeFileSync(quiet, rss([{ guid: '3', title: 'Weather', description: 'Sunny.' }]));
    expect((await run({ config: dir, feed: [quiet] })).code).toBe(1);
    const broken = writeConfigDir({ 'feeds.yaml': 'feeds: [', 'channels.yaml': 'channels: []\n' });
    const { code, err } = await run({ config: broken });
    expect(code).toBe(2);
    expect(err).toMatch(/feeds\.yaml:\d+: YAML/);
  });

  it('reports an unreachable feed on stderr and carries on with the others', async () => {
    const { code, out, err } = await run({ config: dir, feed: [join(dir, 'missing.xml'), feed] });
    expect(code).toBe(0);
    expect(err).toContain('missing.xml');
    expect(out).toContain('1 alert(s) would be sent from 2 feed(s) (1 could not be fetched)');
  });

  it('exits 2, not 1, when no feed could be fetched: nothing was matched, so there is no answer', async () => {
    const { code, err } = await run({ config: dir, feed: [join(dir, 'missing.xml'), 'http://127.0.0.1:1/feed'] });
    expect(code).toBe(2);
    expect(err).toContain('none of the 2 feed(s) could be fetched');
  });
});
