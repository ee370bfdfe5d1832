import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';
import { configFileNames, formatProblem, loadConfigWithoutBlocking, type Config, type ConfigProblem } from './load.js';

/** What asked for a reload: a file event, the safety-net poll, SIGHUP, `POST /-/reload`, or code. */
export type ReloadTrigger = 'file' | 'poll' | 'signal' | 'http' | 'api';

/** What one reload did: the generation now running, and the problems when the new config was rejected. */
export type ReloadResult = ({ ok: true } | { ok: false; problems: ConfigProblem[] }) & {
  /** The config generation in effect afterwards: 1 at start, +1 per applied reload. */
  generation: number;
  /** Epoch ms when the reload finished. */
  at: number;
  trigger: ReloadTrigger;
};

export interface WatchTiming {
  /** Quiet time after the last file event before the directory is read. */
  debounceMs?: number;
  /** How often file contents are hashed, in case a file event never came. */
  pollMs?: number;
}

/**
 * A hash of the config's file set: names and contents, read through symlinks. Equal hashes mean an
 * unchanged config, however the files were saved; a file that cannot be read hashes as its error.
 */
export function configFingerprint(dir: string): string {
  const hash = createHash('sha256');
  for (const name of configFileNames(dir)) {
    hash.update(`${name}\0`);
    try {
      hash.update(readFileSync(join(dir, name)));
    } catch (err) {
      hash.update(`<${(err as NodeJS.ErrnoException).code ?? 'unreadable'}>`);
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * Keeps the running config current. Watches the config directory and its rules/ directory by name,
 * not file handles: editors and `sed -i` save by renaming a new file over the old one, and Kubernetes
 * swaps a `..data` symlink, so a watch on a file (or on a directory a symlink used to point at) goes
 * deaf. Every event and a periodic poll compare a hash of the file set with the one last loaded, so
 * nothing is missed and an unchanged set never reloads. An invalid config is logged and changes nothing.
 */
export class ConfigWatcher {
  private dirWatcher?: FSWatcher;
  private rulesWatcher?: { path: string; watcher: FSWatcher };
  private debounce?: NodeJS.Timeout;
  private poll?: NodeJS.Timeout;
  /** Reloads (and checks) run one after another, so a slow compile can never land after a newer one. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners: Array<(config: Config) => void> = [];
  private readonly reloadListeners: Array<(result: ReloadResult) => void> = [];
  private generationNumber = 1;
  private last?: ReloadResult;
  private readonly debounceMs: number;
  private readonly pollMs: number;
  /** The hash of the files last loaded, applied or rejected: what "changed" is measured against. */
  private loadedFingerprint: string;

  constructor(
    private config: Config,
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
    timing: WatchTiming & {
      /** The hash taken before `config` was read (see configFingerprint); by default, taken now. */
      fingerprint?: string;
    } = {},
  ) {
    this.debounceMs = timing.debounceMs ?? 100;
    this.pollMs = timing.pollMs ?? 5_000;
    this.loadedFingerprint = timing.fingerprint ?? configFingerprint(config.dir);
  }

  get current(): Config {
    return this.config;
  }

  /** 1 for the config the process started with, +1 per applied reload. */
  get generation(): number {
    return this.generationNumber;
  }

  /** The last reload's result; undefined until the first reload. */
  get lastReload(): ReloadResult | undefined {
    return this.last;
  }

  /** Told after every applied reload, with the new config. */
  onChange(listener: (config: Config) => void): void {
    this.listeners.push(listener);
  }

  /** Told after every reload, applied or rejected. */
  onReload(listener: (result: ReloadResult) => void): void {
    this.reloadListeners.push(listener);
  }

  start(): void {
    this.dirWatcher = watch(this.config.dir, () => {
      // A swapped symlink or a recreated rules/ needs a new watch: names are resolved again on each event.
      this.watchRules();
      this.schedule();
    });
    this.dirWatcher.on('error', (err) =>
      this.log.warn({ err: err.message }, 'config directory watch failed: edits are found by polling every few seconds'),
    );
    this.watchRules();
    this.poll = setInterval(() => {
      this.watchRules();
      void this.reloadIfChanged('poll');
    }, this.pollMs);
    this.poll.unref();
  }

  stop(): void {
    clearTimeout(this.debounce);
    clearInterval(this.poll);
    this.dirWatcher?.close();
    this.rulesWatcher?.watcher.close();
    this.dirWatcher = this.rulesWatcher = undefined;
  }

  /** Loads the directory again whatever its hash (after any reload under way); resolves to what it did. */
  reload(trigger: ReloadTrigger = 'api'): Promise<ReloadResult> {
    return this.enqueue(() => this.reloadNow(trigger));
  }

  private schedule(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.reloadIfChanged('file'), this.debounceMs);
  }

  private reloadIfChanged(trigger: ReloadTrigger): Promise<ReloadResult | undefined> {
    return this.enqueue(async () => {
      if (configFingerprint(this.config.dir) !== this.loadedFingerprint) return this.reloadNow(trigger);
      if (trigger === 'file') this.log.debug('config files unchanged: no reload');
      return undefined;
    });
  }

  private enqueue<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queue.then(step);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Watches the directory rules/ resolves to now; a no-op while that is the one already watched. */
  private watchRules(): void {
    if (!this.dirWatcher) return;
    let path: string | undefined;
    try {
      path = realpathSync(join(this.config.dir, 'rules'));
    } catch {
      path = undefined; // no rules/ (yet): the directory watch sees it appear
    }
    if (path === this.rulesWatcher?.path) return;
    this.rulesWatcher?.watcher.close();
    this.rulesWatcher = undefined;
    if (!path) return;
    try {
      const watcher = watch(path, () => this.schedule());
      // The watched directory went away (a swapped ConfigMap): forget it; the next event or poll re-resolves.
      watcher.on('error', () => {
        watcher.close();
        if (this.rulesWatcher?.watcher === watcher) this.rulesWatcher = undefined;
      });
      this.rulesWatcher = { path, watcher };
    } catch {
      // Gone between realpath and watch: the poll catches up.
    }
  }

  private async reloadNow(trigger: ReloadTrigger): Promise<ReloadResult> {
    const fingerprint = configFingerprint(this.config.dir);
    let result: ReloadResult;
    try {
      // Rules compile in slices: matching goes on with the current config until the new one is swapped in.
      const loaded = await loadConfigWithoutBlocking(this.config.dir, this.env, { dataDir: this.config.dataDir });
      if (loaded.ok) {
        this.config = loaded.config;
        this.generationNumber++;
        result = { ok: true, generation: this.generationNumber, at: Date.now(), trigger };
        const { feeds, ruleSet, channels, warnings } = loaded.config;
        this.log.info(
          {
            generation: this.generationNumber,
            trigger,
            feeds: feeds.length,
            rules: ruleSet.size,
            channels: channels.length,
            ...(warnings.length > 0 ? { warnings: warnings.map(formatProblem) } : {}),
          },
          `config reloaded: generation ${this.generationNumber}`,
        );
      } else {
        result = { ok: false, problems: loaded.errors, generation: this.generationNumber, at: Date.now(), trigger };
        const first = loaded.errors[0];
        this.log.error(
          { generation: this.generationNumber, trigger, file: first?.file, line: first?.line, problems: loaded.errors.map(formatProblem) },
          `config rejected, keeping generation ${this.generationNumber}: ${loaded.errors.map(formatProblem).join('; ')}`,
        );
      }
    } catch (err) {
      // A reload must never take the daemon down: the last good config keeps running.
      const problem = { file: '.', line: 1, path: '', message: `cannot load: ${(err as Error).message}` };
      result = { ok: false, problems: [problem], generation: this.generationNumber, at: Date.now(), trigger };
      this.log.error(
        { generation: this.generationNumber, trigger, err: (err as Error).message },
        `config reload failed, keeping generation ${this.generationNumber}: ${(err as Error).message}`,
      );
    }
    this.loadedFingerprint = fingerprint;
    this.last = result;
    try {
      if (result.ok) for (const listener of this.listeners) listener(this.config);
      for (const listener of this.reloadListeners) listener(result);
    } catch (err) {
      this.log.error({ generation: this.generationNumber, err: (err as Error).message }, 'applying the reloaded config failed in part');
    }
    return result;
  }
}
