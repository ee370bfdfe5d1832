import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import { envLogLevel, LogLevelError } from '../../src/log/logger.js';
import { writeConfigDir } from '../support/config-dir.js';
import { runCli } from '../support/run-cli.js';
import { waitFor } from '../support/wait.js';

const FILES = {
  'feeds.yaml': 'feeds: []\n',
  'channels.yaml': 'channels:\n  - id: console\n    type: console\n',
  'rules/r.yaml': 'rules:\n  - id: nk\n    name: NK\n    query: troops\n    channels: [console]\n',
};

describe('log level', () => {
  let daemon: Daemon | undefined;
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
  });

  it('LOG_LEVEL is checked: a level, nothing, or a clear error', () => {
    expect(envLogLevel({ LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(envLogLevel({})).toBeUndefined();
    expect(() => envLogLevel({ LOG_LEVEL: 'verbose' })).toThrow(
      new LogLevelError('LOG_LEVEL "verbose" is not a log level: use one of trace, debug, info, warn, error, fatal, silent'),
    );
  });

  it('settings.yaml log.level applies at start and on reload', async () => {
    const dir = writeConfigDir({ ...FILES, 'settings.yaml': 'redis: { prefix: test-log-level }\nlog: { level: warn }\n' });
    const log = pino({ level: 'info' }, { write: () => {} });
    daemon = await startDaemon({ configDir: dir, log, env: { REDIS_URL: inject('redisUrl') }, followLogLevel: true, http: 'off' });
    expect(log.level).toBe('warn');
    writeFileSync(join(dir, 'settings.yaml'), 'redis: { prefix: test-log-level }\nlog: { level: debug }\n');
    await waitFor('the new level', () => log.level === 'debug', 2_000);
  });

  it('LOG_LEVEL overrides log.level', async () => {
    const dir = writeConfigDir({ ...FILES, 'settings.yaml': 'redis: { prefix: test-log-level }\nlog: { level: warn }\n' });
    const log = pino({ level: 'error' }, { write: () => {} });
    daemon = await startDaemon({
      configDir: dir,
      log,
      env: { REDIS_URL: inject('redisUrl'), LOG_LEVEL: 'error' },
      followLogLevel: true,
      http: 'off',
    });
    expect(log.level).toBe('error');
    expect((await daemon.reloadConfig()).ok).toBe(true);
    expect(log.level).toBe('error');
  });

  it('`newswatch start` with an invalid LOG_LEVEL or log.level says so, without a stack trace', { timeout: 60_000 }, async () => {
    const run = async (env: NodeJS.ProcessEnv, dir: string) => {
      const cli = runCli(['start', '--config', dir, '--http', '127.0.0.1:0'], { REDIS_URL: inject('redisUrl'), ...env });
      return { code: await cli.exited, out: cli.output() };
    };
    const [badEnv, badSetting] = await Promise.all([
      run({ LOG_LEVEL: 'loud' }, writeConfigDir(FILES)),
      run({ LOG_LEVEL: '' }, writeConfigDir({ ...FILES, 'settings.yaml': 'log: { level: loud }\n' })),
    ]);
    expect(badEnv).toEqual({
      code: 2,
      out: 'newswatch start: LOG_LEVEL "loud" is not a log level: use one of trace, debug, info, warn, error, fatal, silent\n',
    });
    expect(badSetting.code).toBe(1);
    expect(badSetting.out).toMatch(
      /settings\.yaml:1 log\.level: the text \\?"loud\\?" is not allowed; use one of: trace, debug, info, warn, error, fatal/,
    );
    expect(badSetting.out).not.toMatch(/\n\s+at /);
  });
});
