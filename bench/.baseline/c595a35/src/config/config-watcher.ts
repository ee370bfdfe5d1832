import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../log/logger.js';
import { formatProblem, loadConfigWithoutBlocking, type Config } from './load.js';

/**
 * Keeps the running config current: watches the directory, reloads after edits settle, and swaps in
 * the new config only when it is valid. An invalid edit logs every problem and changes nothing.
 */
export class ConfigWatcher {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  /** Reloads run one after another, so a slow compile can never land after a newer one. */
  private reloads: Promise<boolean> = Promise.resolve(true);
  private readonly listeners: Array<(config: Config) => void> = [];

  constructor(
    private config: Config,
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly debounceMs = 150,
  ) {}

  get current(): Config {
    return this.config;
  }

  onChange(listener: (config: Config) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    // Editors save by rename-and-replace; watching the directory (recursively, for rules/) sees both.
    this.watcher = watch(this.config.dir, { recursive: true }, () => this.schedule());
    this.watcher.on('error', (err) => this.log.error({ err }, 'config watcher failed: edits will not be picked up until restart'));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.debounceMs);
  }

  /** Loads the directory again (after any reload under way); resolves to whether the new config was applied. */
  reload(): Promise<boolean> {
    this.reloads = this.reloads.then(() =>
      this.reloadNow().catch((err: Error) => {
        // A reload must never take the daemon down: the last good config keeps running.
        this.log.error({ err: err.message }, 'config reload failed, keeping the last good config');
        return false;
      }),
    );
    return this.reloads;
  }

  private async reloadNow(): Promise<boolean> {
    // Rules compile in slices: matching goes on with the current config until the new one is swapped in.
    const result = await loadConfigWithoutBlocking(this.config.dir, this.env);
    if (!result.ok) {
      for (const p of result.errors) this.log.error({ file: p.file, line: p.line }, `config rejected, keeping the last good config: ${formatProblem(p)}`);
      return false;
    }
    this.config = result.config;
    for (const w of result.config.warnings) this.log.warn({ file: w.file, line: w.line }, formatProblem(w));
    this.log.info(
      { feeds: result.config.feeds.length, rules: result.config.ruleSet.size, channels: result.config.channels.length },
      'config reloaded',
    );
    for (const listener of this.listeners) listener(result.config);
    return true;
  }
}
