import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigWatcher } from '../../../src/config/config-watcher.js';
import { configFileNames, loadConfig, type ConfigProblem } from '../../../src/config/load.js';

/**
 * The shipped config, damaged the ways hands and editors damage files: lines deleted or duplicated,
 * indentation changed, a value of another type, tabs and odd Unicode. Whatever comes out, the loader
 * answers with problems that each name a file and a line in it (it never throws), and a running
 * config watcher given the damaged file keeps its last good config.
 */

const SHIPPED = join(import.meta.dirname, '../../../config');
const ODD = [
  '\t',
  '\uFEFF',
  '\u200B',
  '\u00A0',
  '\u202E',
  '\u2028',
  '\u0000',
  '\r',
  '😀',
  '\uD83D',
  'ı',
  '"',
  "'",
  ': ',
  '#',
  '&a ',
  '*a',
  '!!binary ',
  '{',
  ']',
  '${',
  '@',
];
const VALUES = [
  '[]',
  '{}',
  '42',
  '-1',
  '1.5',
  'true',
  '~',
  '""',
  "'x'",
  '- x',
  '|',
  '>-',
  '[a, [b]]',
  '{ a: 1 }',
  '9999999999999999999999',
  '0x1F',
  '2026-11-30',
  'null',
];

type Mutation =
  | { kind: 'delete' | 'duplicate'; at: number }
  | { kind: 'indent'; at: number; by: number }
  | { kind: 'value'; at: number; value: string }
  | { kind: 'insert'; at: number; column: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('value' as const), at: fc.nat(), value: fc.constantFrom(...VALUES) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    column: fc.nat(),
    text: fc.oneof(fc.constantFrom(...ODD), fc.string({ maxLength: 3 })),
  }),
);

function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const i = m.at % lines.length;
  const line = lines[i]!;
  switch (m.kind) {
    case 'delete':
      lines.splice(i, 1);
      break;
    case 'duplicate':
      lines.splice(i, 0, line);
      break;
    case 'indent':
      lines[i] = m.by >= 0 ? ' '.repeat(m.by) + line : line.replace(new RegExp(`^ {0,${-m.by}}`), '');
      break;
    case 'value':
      lines[i] = /:\s/.test(line) ? line.replace(/:\s.*$/, `: ${m.value}`) : line.replace(/-\s.*$/, `- ${m.value}`);
      break;
    case 'insert': {
      const column = m.column % (line.length + 1);
      lines[i] = line.slice(0, column) + m.text + line.slice(column);
      break;
    }
  }
  return lines.join('\n');
}

function copyOfShipped(): string {
  const dir = mkdtempSync(join(tmpdir(), 'newswatch-mutated-'));
  cpSync(SHIPPED, dir, { recursive: true });
  return dir;
}

/** Every problem names a config file (or rules/) and a line inside it. */
function expectLocated(dir: string, problems: ConfigProblem[]): void {
  const files = new Set([...configFileNames(dir), 'rules/']);
  for (const p of problems) {
    expect(files, `${p.file}:${p.line} ${p.message}`).toContain(p.file);
    expect(Number.isInteger(p.line) && p.line >= 1, `${p.file}:${p.line} ${p.message}`).toBe(true);
    if (p.file !== 'rules/')
      expect(p.line, `${p.file}:${p.line} ${p.message}`).toBeLessThanOrEqual(readFileSync(join(dir, p.file), 'utf8').split('\n').length);
    expect(p.message.trim()).not.toBe('');
  }
}

const env = { NEWSWATCH_WEBHOOK_URL: 'http://127.0.0.1:1/hook' };

describe('mutated config files', () => {
  const dir = copyOfShipped();
  const names = configFileNames(dir);
  const originals = new Map(names.map((name) => [name, readFileSync(join(dir, name), 'utf8')]));

  it('the loader never throws, and every problem has a file and a line', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(mutation, { minLength: 1, maxLength: 3 }), (name, mutations) => {
        writeFileSync(join(dir, name), mutations.reduce(mutate, originals.get(name)!));
        try {
          const result = loadConfig(dir, env);
          expectLocated(dir, result.ok ? result.config.warnings : result.errors);
        } finally {
          writeFileSync(join(dir, name), originals.get(name)!);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a watcher given a damaged file on reload keeps the last good config', async () => {
    const watched = copyOfShipped();
    const first = loadConfig(watched, env);
    if (!first.ok) throw new Error(first.errors.map((e) => e.message).join('\n'));
    const watcher = new ConfigWatcher(first.config, pino({ level: 'silent' }), env);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (name, mutations) => {
        const before = { config: watcher.current, generation: watcher.generation };
        writeFileSync(join(watched, name), mutations.reduce(mutate, originals.get(name)!));
        const result = await watcher.reload();
        if (result.ok) {
          expect(watcher.generation).toBe(before.generation + 1);
        } else {
          expectLocated(watched, result.problems);
          expect(watcher.current).toBe(before.config);
          expect(watcher.generation).toBe(before.generation);
        }
        writeFileSync(join(watched, name), originals.get(name)!);
        expect((await watcher.reload()).ok).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
