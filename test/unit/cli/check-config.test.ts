import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/cli/commands.js';
import { EXIT } from '../../../src/cli/exit-codes.js';
import { runNewswatch } from '../../../src/cli/program.js';
import { captureOutput } from '../../support/capture-output.js';
import { writeConfigDir } from '../../support/config-dir.js';

describe('newswatch check-config', () => {
  it('shows a channel disabled by an unset variable in an optional value, and still says valid', async () => {
    const variable = 'NEWSWATCH_TEST_NEVER_SET_SECRET';
    const dir = writeConfigDir({
      'feeds.yaml': 'feeds:\n  - id: wire\n    url: https://news.example/rss\n',
      'channels.yaml': `channels:\n  - id: console\n    type: console\n  - id: hook\n    type: webhook\n    url: https://hooks.test/x\n    secret: \${${variable}}\n`,
      'rules/r.yaml': 'rules:\n  - id: nk\n    name: NK\n    query: troops\n    channels: [console, hook]\n',
    });
    const { code, out, err } = await captureOutput(() => runNewswatch(['check-config', '--config', dir], runCommand));
    expect(err).toBe(`warning: channels.yaml:4 channels[1]: channel "hook" disabled: environment variable ${variable} is not set\n`);
    expect(out).toBe(`${dir}: valid (1 feeds, 1 rules, 1 channels)\n`);
    expect(code).toBe(EXIT.ok);
  });
});
