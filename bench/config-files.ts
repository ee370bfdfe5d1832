/**
 * The generated config directories of the config loading benchmark (bench/config.ts) and its
 * profile script (bench/config-profile.ts): files of 10,000 rules each, queries shaped like
 * bench/rules-corpus.ts.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { generateCorpus, generateRules } from './rules-corpus.js';

const SEED = 20261130;
export const RULES_PER_FILE = 10_000;
export const FEEDS = 50;

const yamlQuote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A config directory with `count` rules in rules/part-NN.yaml, every rule valid. */
export function writeBenchConfig(count: number): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'newswatch-bench-config-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(
    join(dir, 'feeds.yaml'),
    `feeds:\n${Array.from({ length: FEEDS }, (_, i) => `  - id: feed-${i}\n    url: http://127.0.0.1:1/feed-${i}.xml\n`).join('')}`,
  );
  writeFileSync(join(dir, 'channels.yaml'), 'channels:\n  - id: hook\n    type: webhook\n    url: http://127.0.0.1:1/hook\n');
  const rules = generateRules(SEED + count, count, generateCorpus(SEED, 10));
  for (let from = 0; from < rules.length; from += RULES_PER_FILE) {
    const lines = rules
      .slice(from, from + RULES_PER_FILE)
      .map(
        (r, i) =>
          `  - id: ${r.id}\n    name: ${yamlQuote(r.name)}\n    query: ${yamlQuote(r.query)}\n` +
          (r.exclude ? `    exclude: ${yamlQuote(r.exclude)}\n` : '') +
          (r.feeds ? `    feeds: [${r.feeds.join(', ')}]\n` : '') +
          `    channels: [hook]\n    severity: ${i % 3 === 0 ? 'high' : 'medium'}\n    labels: { team: desk-${i % 7} }\n`,
      );
    writeFileSync(join(dir, 'rules', `part-${String(from / RULES_PER_FILE).padStart(2, '0')}.yaml`), `rules:\n${lines.join('')}`);
  }
  return dir;
}
