import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runNewswatch } from '../../src/cli/program.js';
import { captureOutput } from '../support/capture-output.js';
import { cli } from '../support/cli-process.js';
import { writeConfigDir } from '../support/config-dir.js';

const run = (args: string[]) => captureOutput(() => runNewswatch(args, runCommand));
const STACK_LINE = /^\s+at /m;

const VALID = {
  'feeds.yaml': 'feeds:\n  - id: wire\n    url: https://news.example/rss\n',
  'channels.yaml': 'channels:\n  - id: console\n    type: console\n',
  'rules/r.yaml': 'rules:\n  - id: nk\n    name: NK\n    query: troops\n    channels: [console]\n',
  // Nothing answers here: a command that got as far as Redis would say so instead of the config problem.
  'settings.yaml': 'redis: { url: "redis://127.0.0.1:1" }\n',
};

/**
 * Every command that reads the config, as a command line that would otherwise run, and its exit code
 * when that config is invalid: check-config answers "no" (1); every other command could not run (2).
 */
const COMMANDS: Array<{ line: string[]; readsRules: boolean; exit: number }> = [
  { line: ['check-config'], readsRules: true, exit: EXIT.negative },
  { line: ['dry-run'], readsRules: true, exit: EXIT.error },
  { line: ['test-rule', '--rule', 'nk', '--text', 'troops'], readsRules: true, exit: EXIT.error },
  { line: ['preview'], readsRules: true, exit: EXIT.error },
  { line: ['feeds'], readsRules: true, exit: EXIT.error },
  { line: ['feeds', 'import', 'subscriptions.opml'], readsRules: false, exit: EXIT.error },
  { line: ['feeds', 'export'], readsRules: true, exit: EXIT.error },
  { line: ['fetch', 'wire'], readsRules: true, exit: EXIT.error },
  { line: ['status'], readsRules: true, exit: EXIT.error },
  { line: ['alerts'], readsRules: true, exit: EXIT.error },
  { line: ['alerts', 'replay', 'a1'], readsRules: true, exit: EXIT.error },
  { line: ['alerts', 'replay', '--failed'], readsRules: true, exit: EXIT.error },
  { line: ['jobs'], readsRules: true, exit: EXIT.error },
  { line: ['jobs', 'retry'], readsRules: true, exit: EXIT.error },
];

describe('every command answers a bad config with a message, never a stack trace', () => {
  const good = writeConfigDir(VALID);
  const { 'rules/r.yaml': _rules, ...withoutRules } = VALID;
  const rulesIsAFile = writeConfigDir(withoutRules);
  beforeAll(() => writeFileSync(join(rulesIsAFile, 'rules'), 'rules: []\n'));
  const unknownChannel = writeConfigDir({
    ...VALID,
    'rules/r.yaml': 'rules:\n  - id: nk\n    name: NK\n    query: troops\n    channels: [console, opps]\n',
  });

  const BAD_CONFIGS = [
    {
      what: '--config naming a file',
      config: join(good, 'feeds.yaml'),
      says: `is a file, not a directory: --config (or NEWSWATCH_CONFIG) names the config directory, the one holding feeds.yaml and channels.yaml (for this file: --config ${good})`,
      rulesOnly: false,
    },
    { what: '--config naming no directory', config: join(good, 'nothing-here'), says: 'config directory does not exist', rulesOnly: false },
    {
      what: 'a rules/ that is not a directory',
      config: rulesIsAFile,
      says: `${rulesIsAFile}/rules is a file: rules/ must be a directory of rule files`,
      rulesOnly: true,
    },
    {
      what: 'a rule naming an unknown channel',
      config: unknownChannel,
      says: 'rules/r.yaml:5 rules[0].channels[1]: unknown channel "opps"',
      rulesOnly: true,
    },
  ];
  const cases = COMMANDS.flatMap(({ line, readsRules, exit }) =>
    BAD_CONFIGS.filter((bad) => readsRules || !bad.rulesOnly).map((bad) => ({ line, exit, ...bad })),
  );

  it.each(cases.map((c) => [c.line.join(' '), c.what, c.exit, c] as const))(
    'newswatch %s with %s exits %i',
    async (_line, _what, _exit, { line, config, says, exit }) => {
      const { code, out, err } = await run([...line, '--config', config]);
      expect(err).toContain(says);
      expect(err).not.toMatch(STACK_LINE);
      expect(out).toBe('');
      expect(code).toBe(exit);
    },
  );

  it('test-rule --query @set says the --config it would take the set from is a file', async () => {
    const { code, err } = await run(['test-rule', '--query', 'troops OR @dprk', '--text', 'troops', '--config', join(good, 'feeds.yaml')]);
    expect(err).toContain('is a file, not a directory');
    expect(err).toContain('@dprk');
    expect(err).not.toMatch(STACK_LINE);
    expect(code).toBe(EXIT.error);
  });
});

describe('newswatch start answers bad input with a message and exit 2', () => {
  afterEach(() => void vi.unstubAllEnvs());
  it.each([
    [['--role', 'fetcher'], {}, 'newswatch start: unknown role "fetcher" in --role: the roles are scheduler, fetch, match, deliver\n'],
    [
      ['--role', 'fetch,matcher,x'],
      {},
      'newswatch start: unknown roles "matcher", "x" in --role: the roles are scheduler, fetch, match, deliver\n',
    ],
    [
      ['--role', ''],
      {},
      'newswatch start: --role "" names no role: give one or more of scheduler, fetch, match, deliver (or leave --role out to run them all)\n',
    ],
    [
      ['--role', ' , '],
      {},
      'newswatch start: --role " , " names no role: give one or more of scheduler, fetch, match, deliver (or leave --role out to run them all)\n',
    ],
    [
      [],
      { LOG_LEVEL: 'verbose' },
      'newswatch start: LOG_LEVEL "verbose" is not a log level: use one of trace, debug, info, warn, error, fatal, silent\n',
    ],
  ] as const)('start %j %j', async (args, vars, says) => {
    for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
    // Nothing starts: the check comes before the config, Redis or a listener.
    const { code, out, err } = await run(['start', ...args, '--config', '/nonexistent']);
    expect({ code, out, err }).toEqual({ code: EXIT.error, out: '', err: says });
  });
});

// The two cases an in-process run cannot show: the daemon logs to stdout through its own stream, and a
// directory root cannot read needs a process that is not root.
describe('newswatch as its own process', { timeout: 120_000 }, () => {
  // start keeps 1: the systemd unit's RestartPreventExitStatus=1 must not restart a daemon whose config is invalid.
  it('start --config FILE logs that the config is a file and exits 1', async () => {
    const dir = writeConfigDir(VALID);
    const { code, out, err } = await cli(['start', '--config', join(dir, 'channels.yaml')]);
    expect(out + err).toContain('is a file, not a directory');
    expect(out + err).not.toMatch(STACK_LINE);
    expect(code).toBe(EXIT.negative);
  });

  it('check-config with an unreadable rules/ names it and says what to do', async () => {
    const dir = writeConfigDir(VALID);
    chmodSync(join(dir, 'rules'), 0o000);
    const asRoot = process.getuid?.() === 0;
    // root reads any directory: run as nobody, who can read the rest of the config.
    if (asRoot) chmodSync(dir, 0o755);
    const { code, err } = await cli(
      ['check-config', '--config', dir],
      asRoot ? { HOME: '/tmp' } : {},
      asRoot ? { uid: 65534, gid: 65534 } : {},
    );
    expect(err).toContain(
      `cannot read the directory ${dir}/rules (EACCES): make it readable by the user newswatch runs as (e.g. chmod a+rx ${dir}/rules)`,
    );
    expect(err).not.toMatch(STACK_LINE);
    expect(code).toBe(EXIT.negative);
  });
});
