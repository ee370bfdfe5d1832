import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigWatcher } from '../../src/config/config-watcher.js';
import { loadConfig } from '../../src/config/load.js';
import type { Article } from '../../src/articles/article.js';
import { writeConfigDir } from '../support/config-dir.js';
import { Collector, listSource } from '../support/collector.js';
import { waitFor } from '../support/wait.js';

const rule = (query: string) => `rules:\n  - id: watch\n    name: Watch\n    query: '${query}'\n    channels: [console]\n`;

function article(title: string): Article {
  const now = new Date().toISOString();
  return {
    id: title,
    feedId: 'wire',
    title,
    link: '',
    summary: '',
    content: '',
    author: '',
    categories: [],
    published: now,
    fetchedAt: now,
  };
}

describe('hot reload of the config directory', () => {
  let watcher: ConfigWatcher | undefined;
  afterEach(() => watcher?.stop());

  it('applies a valid rule edit within 2 s and keeps the last good rules on an invalid one', async () => {
    const dir = writeConfigDir({
      'feeds.yaml': 'feeds: []\n',
      'channels.yaml': 'channels:\n  - id: console\n    type: console\n',
      'rules/watch.yaml': rule('troops AND Kursk'),
    });
    const loaded = loadConfig(dir, {});
    if (!loaded.ok) throw new Error('fixture config invalid');
    const lines: string[] = [];
    watcher = new ConfigWatcher(loaded.config, pino({}, { write: (l: string) => void lines.push(l) }), {});
    watcher.start();
    const matches = (title: string) => watcher!.current.ruleSet.match(article(title), { feedTags: [], now: Date.now() }).length > 0;
    expect(matches('Troops arrive in Kursk')).toBe(true);
    expect(matches('Engineers arrive in Kursk')).toBe(false);

    const editedAt = Date.now();
    writeFileSync(join(dir, 'rules/watch.yaml'), rule('(troops OR engineers) AND Kursk'));
    await waitFor('the edited rule to apply', () => matches('Engineers arrive in Kursk'), 2_000);
    expect(Date.now() - editedAt).toBeLessThan(2_000);

    // Reload outcomes from now on; a partial write may be rejected twice, but none may be applied.
    const applied = new Collector(
      'applied reloads',
      listSource(() => lines.filter((l) => l.includes('config reloaded'))),
      (l) => JSON.parse(l).msg as string,
    );
    writeFileSync(join(dir, 'rules/watch.yaml'), rule('(troops OR engineers AND Kursk'));
    await waitFor('the invalid edit to be reported', () => lines.some((l) => l.includes('config rejected')), 2_000);
    await applied.expectExactly([], { withinMs: 0, quietMs: 300 });
    expect(matches('Engineers arrive in Kursk')).toBe(true);
    const rejection = lines.map((l) => JSON.parse(l)).find((l) => l.msg.includes('config rejected'));
    expect(rejection).toMatchObject({ level: 50, file: 'rules/watch.yaml', line: 4 });
    expect(rejection.msg).toContain("expected ')'");
  });

  it('compiles a large rule set without blocking the event loop, then swaps it in', async () => {
    const many = `rules:\n${Array.from({ length: 5_000 }, (_, i) => `  - id: r${i}\n    name: R${i}\n    query: 'word${i} AND (troops OR kursk)'\n    channels: [console]\n`).join('')}`;
    const dir = writeConfigDir({
      'feeds.yaml': 'feeds: []\n',
      'channels.yaml': 'channels:\n  - id: console\n    type: console\n',
      'rules/watch.yaml': rule('troops'),
    });
    const loaded = loadConfig(dir, {});
    if (!loaded.ok) throw new Error('fixture config invalid');
    watcher = new ConfigWatcher(loaded.config, pino({ level: 'silent' }), {});
    writeFileSync(join(dir, 'rules/many.yaml'), many);
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const reloading = watcher.reload();
    expect(watcher.current.ruleSet.size).toBe(1); // the old rules keep matching until the swap
    expect(await reloading).toMatchObject({ ok: true, generation: 2, trigger: 'api' });
    counting = false;
    expect(watcher.current.ruleSet.size).toBe(5_001);
    expect(turns).toBeGreaterThan(1);
  });
});
