import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Config } from '../../src/config/load.js';
import { writeConfigDir } from '../support/config-dir.js';
import { runCli } from '../support/run-cli.js';
import { startTestDaemon, type TestDaemon } from '../support/test-daemon.js';
import { waitFor } from '../support/wait.js';

const CHANNELS = 'channels:\n  - id: console\n    type: console\n';
const feedsYaml = (id: string) => `feeds:\n  - id: ${id}\n    url: http://127.0.0.1:1/${id}.xml\n    enabled: false\n`;
const ruleYaml = (id: string, query: string) => `rules:\n  - id: ${id}\n    name: ${id}\n    query: '${query}'\n    channels: [console]\n`;

/**
 * A config directory laid out as Kubernetes mounts a ConfigMap, for rules/ only: `rules` is a symlink
 * to `..data/rules`, and `..data` a symlink to a timestamped directory that is swapped atomically.
 */
class ConfigDir {
  version = 0;
  constructor(readonly dir: string) {}

  get rulesDir(): string {
    return join(this.dir, 'rules');
  }

  /** Writes the rule files into a new version directory and swaps `..data` to it, as the kubelet does. */
  swapRules(files: Record<string, string>): void {
    const old = this.version > 0 ? `..v${this.version}` : undefined;
    const next = `..v${++this.version}`;
    mkdirSync(join(this.dir, next, 'rules'), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(this.dir, next, 'rules', name), text);
    symlinkSync(next, join(this.dir, '..data_tmp'));
    renameSync(join(this.dir, '..data_tmp'), join(this.dir, '..data'));
    if (old) rmSync(join(this.dir, old), { recursive: true });
  }

  currentRules(): Record<string, string> {
    return Object.fromEntries(readdirSync(this.rulesDir).map((f) => [f, readFileSync(join(this.rulesDir, f), 'utf8')]));
  }
}

type SaveStyle =
  | 'in place'
  | 'write then rename (sed -i)'
  | 'vim (backup, write, delete backup)'
  | 'delete and recreate'
  | 'new file in rules/'
  | 'ConfigMap ..data swap';

const STYLES: SaveStyle[] = [
  'in place',
  'write then rename (sed -i)',
  'vim (backup, write, delete backup)',
  'delete and recreate',
  'new file in rules/',
  'ConfigMap ..data swap',
];

/** Saves `text` at `path` the way the style does. */
function save(style: SaveStyle, path: string, text: string): void {
  switch (style) {
    case 'in place':
      return writeFileSync(path, text);
    case 'write then rename (sed -i)': {
      const temp = join(path, '..', `sed${Math.random().toString(36).slice(2, 8)}`);
      writeFileSync(temp, text);
      return renameSync(temp, path);
    }
    case 'vim (backup, write, delete backup)':
      renameSync(path, `${path}~`);
      writeFileSync(path, text);
      return unlinkSync(`${path}~`);
    case 'delete and recreate':
      unlinkSync(path);
      return writeFileSync(path, text);
    default:
      throw new Error(`${style} is not a single-file save`);
  }
}

describe('config reload', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });

  it('applies 50 edits in every save style to a running daemon: 50 reloads, right content, none missed', { timeout: 120_000 }, async () => {
    const d: TestDaemon = await startTestDaemon({ 'feeds.yaml': feedsYaml('feed-0'), 'channels.yaml': CHANNELS });
    cleanup.push(() => d.stop());
    // Turn rules/ into a ConfigMap-style symlink before the edits start (the daemon sees this as reload 0).
    const dir = new ConfigDir(d.dir);
    dir.swapRules({ 'watch.yaml': ruleYaml('watch', 'marker0') });
    symlinkSync('..data/rules', dir.rulesDir);
    await waitFor('the rules symlink to load', () => d.daemon.config().ruleById.get('watch')?.query === 'marker0', 2_000);
    const startGeneration = d.daemon.configGeneration();

    const expected = { feed: 'feed-0', rules: { 'watch.yaml': ruleYaml('watch', 'marker0') } as Record<string, string> };
    const matches = (c: Config) =>
      c.feeds.map((f) => f.id).join() === expected.feed &&
      c.rules
        .map((r) => `${r.id}:${r.query}`)
        .sort()
        .join() ===
        Object.values(expected.rules)
          .map((t) => /id: (\S+)[\s\S]*query: '([^']*)'/.exec(t)!.slice(1).join(':'))
          .sort()
          .join();

    const applied: Array<{ edit: number; style: SaveStyle; generation: number }> = [];
    for (let i = 1; i <= 50; i++) {
      const style = STYLES[i % STYLES.length]!;
      if (style === 'new file in rules/') {
        expected.rules[`extra-${i}.yaml`] = ruleYaml(`extra-${i}`, `extra${i}`);
        writeFileSync(join(dir.rulesDir, `extra-${i}.yaml`), expected.rules[`extra-${i}.yaml`]!);
      } else if (style === 'ConfigMap ..data swap') {
        expected.rules['watch.yaml'] = ruleYaml('watch', `marker${i}`);
        dir.swapRules({ ...dir.currentRules(), 'watch.yaml': expected.rules['watch.yaml'] });
      } else if (i % 2 === 0) {
        expected.feed = `feed-${i}`;
        save(style, join(d.dir, 'feeds.yaml'), feedsYaml(expected.feed));
      } else {
        expected.rules['watch.yaml'] = ruleYaml('watch', `marker${i}`);
        save(style, join(dir.rulesDir, 'watch.yaml'), expected.rules['watch.yaml']);
      }
      await waitFor(`edit ${i} (${style}) to apply`, () => matches(d.daemon.config()), 2_000);
      applied.push({ edit: i, style, generation: d.daemon.configGeneration() });
    }

    // One reload per edit, each its own generation: nothing missed, nothing reloaded twice.
    expect(applied.map((a) => a.generation - startGeneration)).toEqual(applied.map((a) => a.edit));
    expect(new Set(applied.map((a) => a.style)).size).toBe(STYLES.length);
    const reloads = d.logs
      .map((l) => JSON.parse(l) as { msg: string; generation?: number; trigger?: string })
      .filter((l) => /^config (reloaded|rejected)/.test(l.msg));
    expect(reloads.filter((l) => l.msg.startsWith('config rejected'))).toEqual([]);
    expect(reloads.at(-1)).toMatchObject({ msg: `config reloaded: generation ${startGeneration + 50}`, generation: startGeneration + 50 });
    expect(reloads.filter((l) => l.generation! > startGeneration)).toHaveLength(50);
    expect(d.daemon.lastReload()).toMatchObject({ ok: true, generation: startGeneration + 50 });
  });

  it('never reloads an unchanged file set, and the poll applies a change no file event reported', async () => {
    const d = await startTestDaemon({
      'feeds.yaml': feedsYaml('feed-0'),
      'channels.yaml': CHANNELS,
      'rules/watch.yaml': ruleYaml('watch', 'first'),
    });
    cleanup.push(() => d.stop());
    const generation = d.daemon.configGeneration();
    const unchangedChecks = () => d.logs.filter((l) => l.includes('config files unchanged')).length;
    // feeds.yaml becomes a symlink to a file elsewhere with the same bytes: an event, but no change.
    const elsewhere = join(writeConfigDir({ 'feeds.yaml': feedsYaml('feed-0') }), 'feeds.yaml');
    unlinkSync(join(d.dir, 'feeds.yaml'));
    symlinkSync(elsewhere, join(d.dir, 'feeds.yaml'));
    await waitFor('the event to be checked', () => unchangedChecks() > 0, 2_000);
    expect(d.daemon.configGeneration()).toBe(generation);
    expect(d.daemon.lastReload()).toBeUndefined();

    // Editing the symlink's target raises no event in the config directory: the content poll finds it.
    writeFileSync(elsewhere, feedsYaml('feed-polled'));
    await waitFor('the poll to apply the edit', () => d.daemon.config().feeds[0]?.id === 'feed-polled', 8_000);
    expect(d.daemon.lastReload()).toMatchObject({ ok: true, trigger: 'poll', generation: generation + 1 });

    // A forced reload (SIGHUP, POST /-/reload) applies even unchanged files: the operator asked for it.
    expect(await d.daemon.reloadConfig('http')).toMatchObject({ ok: true, generation: generation + 2, trigger: 'http' });
  });

  it('SIGHUP reloads a running `newswatch start` and does not end it', { timeout: 90_000 }, async () => {
    const dir = writeConfigDir({
      'feeds.yaml': feedsYaml('feed-0'),
      'channels.yaml': CHANNELS,
      'rules/watch.yaml': ruleYaml('watch', 'first'),
      'settings.yaml': `redis: { prefix: test-sighup-${process.pid} }\n`,
    });
    const { child, output, exited } = runCli(['start', '--config', dir, '--http', '127.0.0.1:0'], { REDIS_URL: inject('redisUrl') });
    cleanup.push(() => child.kill('SIGKILL'));
    const lines = () =>
      output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    await waitFor('the daemon to start', () => lines().some((l) => l.msg === 'newswatch started'), 40_000);

    child.kill('SIGHUP');
    await waitFor('the SIGHUP reload', () => lines().some((l) => l.trigger === 'signal'), 10_000);
    expect(lines().find((l) => l.trigger === 'signal')).toMatchObject({ msg: 'config reloaded: generation 2', generation: 2 });

    // The process is still running, and still reloads: a second SIGHUP with a broken rule is rejected.
    writeFileSync(join(dir, 'rules/watch.yaml'), ruleYaml('watch', '(broken'));
    child.kill('SIGHUP');
    await waitFor(
      'the rejected reload',
      () => lines().some((l) => l.trigger === 'signal' && String(l.msg).startsWith('config rejected')),
      10_000,
    );
    expect(child.exitCode).toBeNull();

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
