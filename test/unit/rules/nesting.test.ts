import { describe, expect, it } from 'vitest';
import { checkConfigCommand } from '../../../src/cli/check-config.js';
import { loadConfigWithoutBlocking } from '../../../src/config/load.js';
import { compileRules, parseQuery } from '../../../src/rules/index.js';
import { MAX_NESTING } from '../../../src/rules/parser.js';
import { captureOutput } from '../../support/capture-output.js';
import { writeConfigDir } from '../../support/config-dir.js';
import { NOW, article } from './article-fixture.js';

const parens = (levels: number) => `${'('.repeat(levels)}troops${')'.repeat(levels)}`;
const nots = (count: number, operator: 'NOT ' | '-') => `${operator.repeat(count)}troops`;

function errorOf(query: string): { column: number; message: string } {
  const result = parseQuery(query);
  if (result.ok) throw new Error(`${query.slice(0, 40)}... parsed`);
  return result.errors[0]!;
}

describe('nesting limit', () => {
  it(`accepts ${MAX_NESTING} levels of parentheses and NOT, and refuses one more at the column of the level too many`, () => {
    expect(parseQuery(parens(MAX_NESTING)).ok).toBe(true);
    expect(parseQuery(nots(MAX_NESTING, 'NOT ')).ok).toBe(true);
    for (const levels of [MAX_NESTING + 1, 1_400, 20_000]) {
      expect(errorOf(parens(levels))).toEqual({ column: MAX_NESTING + 1, message: expect.stringContaining('nested too deeply') });
    }
    // The 101st NOT starts at offset 4 * 100.
    expect(errorOf(nots(5_000, 'NOT ')).column).toBe(4 * MAX_NESTING + 1);
    expect(errorOf(nots(5_000, '-')).column).toBe(MAX_NESTING + 1);
    // Parentheses and NOTs count together; the caret is under the opening '(' after "a AND ".
    const mixed = `a AND ${'-('.repeat(60)}b${')'.repeat(60)}`;
    expect(errorOf(mixed).column).toBe('a AND '.length + MAX_NESTING + 1);
  });

  it('compileRules reports a too deep rule with a caret and still compiles and matches the others', () => {
    const { ruleSet, errors } = compileRules([
      { id: 'deep', name: 'deep', query: parens(1_400) },
      { id: 'nots', name: 'nots', query: 'troops', exclude: nots(5_000, '-') },
      { id: 'fine', name: 'fine', query: 'troops' },
    ]);
    expect(errors.map((e) => [e.ruleId, e.field, e.column])).toEqual([
      ['deep', 'query', MAX_NESTING + 1],
      ['nots', 'exclude', MAX_NESTING + 1],
    ]);
    expect(errors[0]!.display.split('\n')[1]).toBe(`${' '.repeat(MAX_NESTING)}^ column ${MAX_NESTING + 1}`);
    expect(ruleSet.match(article({ title: 'troops' }), { feedTags: [], now: NOW }).map((m) => m.ruleId)).toEqual(['fine']);
  });

  const configWith = (query: string) =>
    writeConfigDir({
      'feeds.yaml': 'feeds: []\n',
      'channels.yaml': 'channels:\n  - id: console\n    type: console\n',
      'rules/deep.yaml': `rules:\n  - id: fine\n    name: Fine\n    query: troops\n    channels: [console]\n  - id: deep\n    name: Deep\n    query: '${query}'\n    channels: [console]\n`,
    });

  it('check-config (and start, which loads the same way) names the file, line and column of a too deep rule', async () => {
    const { code, err } = await captureOutput(() => checkConfigCommand({ config: configWith(parens(1_400)) }));
    expect(code).toBe(1);
    expect(err).toContain('rules/deep.yaml:8');
    expect(err).toContain('nested too deeply');
    expect(err).toContain(`^ column ${MAX_NESTING + 1}`);
  });

  it('a hot reload reports a too deep rule instead of throwing', async () => {
    const result = await loadConfigWithoutBlocking(configWith(nots(5_000, 'NOT ')), {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.objectContaining({ file: 'rules/deep.yaml', line: 8, message: expect.stringContaining('nested too deeply') }),
    ]);
  });
});
