import { describe, expect, it } from 'vitest';
import { parseQuery, printQuery, type QueryNode } from '../../../src/rules/index.js';

function ast(query: string): QueryNode {
  const result = parseQuery(query);
  if (!result.ok) throw new Error(`${query}: ${JSON.stringify(result.errors)}`);
  return result.ast;
}

function error(query: string): { column: number; message: string } {
  const result = parseQuery(query);
  if (result.ok) throw new Error(`${query} parsed as ${printQuery(result.ast)}`);
  expect(result.errors).toHaveLength(1);
  return result.errors[0]!;
}

const term = (word: string, field = 'default') => ({ kind: 'term', field, word });

describe('parseQuery: operators', () => {
  it('reads a word as a normalised term', () => {
    expect(ast('Kursk')).toEqual(term('kursk'));
    expect(ast('Düsseldorf')).toEqual(term('dusseldorf'));
  });

  it('reads adjacent terms and AND as AND', () => {
    expect(ast('troops russia')).toEqual({ kind: 'and', children: [term('troops'), term('russia')] });
    expect(ast('troops AND russia')).toEqual(ast('troops russia'));
  });

  it('reads OR, with AND binding tighter', () => {
    expect(ast('a b OR c')).toEqual({
      kind: 'or',
      children: [{ kind: 'and', children: [term('a'), term('b')] }, term('c')],
    });
  });

  it('reads NOT and -term, binding tighter than AND', () => {
    expect(ast('a NOT b')).toEqual({ kind: 'and', children: [term('a'), { kind: 'not', child: term('b') }] });
    expect(ast('a -b')).toEqual(ast('a NOT b'));
    expect(ast('-(a OR b)')).toEqual({ kind: 'not', child: { kind: 'or', children: [term('a'), term('b')] } });
  });

  it('keeps lower-case and/or/not as words', () => {
    expect(ast('rock and roll')).toEqual({ kind: 'and', children: [term('rock'), term('and'), term('roll')] });
  });

  it('reads parentheses as grouping', () => {
    expect(ast('(a OR b) c')).toEqual({
      kind: 'and',
      children: [{ kind: 'or', children: [term('a'), term('b')] }, term('c')],
    });
  });

  it('reads phrases, and words holding punctuation as phrases', () => {
    expect(ast('"North  Korea"')).toEqual({ kind: 'phrase', field: 'default', words: ['north', 'korea'] });
    expect(ast("Korea's")).toEqual({ kind: 'phrase', field: 'default', words: ['korea', 's'] });
    expect(ast('"troops"')).toEqual(term('troops'));
  });

  it('reads NEAR/n, NEAR (= NEAR/5) and ONEAR, binding tighter than AND', () => {
    expect(ast('a NEAR/3 b')).toEqual({ kind: 'near', left: term('a'), right: term('b'), distance: 3, ordered: false });
    expect(ast('a NEAR b')).toEqual({ kind: 'near', left: term('a'), right: term('b'), distance: 5, ordered: false });
    expect(ast('a ONEAR/2 b')).toEqual({ kind: 'near', left: term('a'), right: term('b'), distance: 2, ordered: true });
    expect(ast('x a NEAR b')).toEqual({ kind: 'and', children: [term('x'), ast('a NEAR b')] });
  });

  it('accepts OR-groups, phrases and wildcards as NEAR operands', () => {
    const near = ast('(troops OR soldiers) NEAR/8 (Russia OR "Kursk region" OR kur*)');
    expect(near).toMatchObject({ kind: 'near', distance: 8, left: { kind: 'or' }, right: { kind: 'or' } });
  });

  it('reads wildcards', () => {
    expect(ast('deploy*')).toEqual({ kind: 'wildcard', field: 'default', pattern: 'deploy*' });
    expect(ast('Soldier?')).toEqual({ kind: 'wildcard', field: 'default', pattern: 'soldier?' });
    expect(ast('북한*')).toEqual({ kind: 'wildcard', field: 'default', pattern: '북한*' });
  });

  it('applies a field to a term, a phrase and a group', () => {
    expect(ast('title:troops')).toEqual(term('troops', 'title'));
    expect(ast('summary:"north korea"')).toEqual({ kind: 'phrase', field: 'summary', words: ['north', 'korea'] });
    expect(ast('title:(a OR b)')).toEqual({ kind: 'or', children: [term('a', 'title'), term('b', 'title')] });
  });

  it('reads source: and lang: as whole values', () => {
    expect(ast('source:Reuters.com')).toEqual({ kind: 'keyword', field: 'source', value: 'reuters.com' });
    expect(ast('lang:en_US')).toEqual({ kind: 'keyword', field: 'lang', value: 'en-us' });
  });

  it('reads link: URLs without mistaking https: for a field', () => {
    expect(ast('link:https://example.com/news')).toEqual({
      kind: 'phrase',
      field: 'link',
      words: ['https', 'example', 'com', 'news'],
    });
  });

  it('reads /regex/ with escaped slashes', () => {
    expect(ast('/kur.k/')).toEqual({ kind: 'regex', field: 'default', source: 'kur.k' });
    expect(ast('title:/a\\/b/')).toEqual({ kind: 'regex', field: 'title', source: 'a/b' });
  });

  it('prints a query that parses back to the same AST', () => {
    for (const query of [
      'a b OR c -d',
      '(troops OR soldiers) NEAR/8 (Russia OR Kursk)',
      'title:(a OR "b c") ONEAR de*',
      'source:reuters.com lang:en NOT /x\\/y/',
      'NOT (a AND (b AND c))',
    ]) {
      expect(ast(printQuery(ast(query)))).toEqual(ast(query));
    }
  });
});

describe('parseQuery: errors', () => {
  it('reports an unclosed group where ) was expected', () => {
    expect(error('(troops OR tanks')).toEqual({ column: 17, message: "expected ')' to close '(' at column 1" });
    expect(error('a AND (b OR c d')).toEqual({ column: 16, message: "expected ')' to close '(' at column 7" });
  });

  it('reports a stray )', () => {
    expect(error('a b)')).toEqual({ column: 4, message: "unexpected ')' without a matching '('" });
  });

  it('reports an empty group', () => {
    expect(error('a ()')).toEqual({ column: 3, message: "empty group '()': expected a term between the parentheses" });
  });

  it('reports an empty query', () => {
    expect(error('   ')).toEqual({ column: 1, message: 'empty query: expected a term' });
  });

  it('reports a missing operand', () => {
    expect(error('a AND')).toEqual({ column: 6, message: "expected a term after 'AND', found the end of the query" });
    expect(error('OR b')).toEqual({ column: 1, message: "expected a term, found 'OR'" });
    expect(error('a OR OR b')).toEqual({ column: 6, message: "expected a term after 'OR', found 'OR'" });
    expect(error('a NOT')).toEqual({ column: 6, message: "expected a term after 'NOT', found the end of the query" });
  });

  it('reports NEAR/ without a number, and distances out of range', () => {
    expect(error('a NEAR/ b')).toEqual({ column: 8, message: "expected a number after 'NEAR/' (e.g. NEAR/5)" });
    expect(error('a ONEAR/x b')).toEqual({ column: 9, message: "expected a number after 'ONEAR/' (e.g. ONEAR/5)" });
    expect(error('a NEAR/1001 b')).toEqual({ column: 8, message: 'NEAR distance must be at most 1000 words, got 1001' });
  });

  it('reports NEAR operands that have no positions', () => {
    const expected = 'NEAR/3 operands must be terms, phrases, wildcards, text /regex/ or OR-groups of these; combine NEAR clauses with AND';
    expect(error('(a AND b) NEAR/3 c')).toEqual({ column: 1, message: expected });
    expect(error('a NEAR/3 -c')).toEqual({ column: 10, message: expected });
    expect(error('a NEAR b NEAR c').message).toContain('NEAR operands must be');
    expect(error('source:x NEAR b').message).toContain('NEAR operands must be');
  });

  it('reports unknown fields, listing the valid ones', () => {
    expect(error('a titel:x')).toEqual({
      column: 3,
      message: "unknown field 'titel:'; valid fields are title:, summary:, content:, author:, category:, source:, link:, lang:",
    });
  });

  it('reports a field with nothing to apply to', () => {
    expect(error('title: OR x')).toEqual({ column: 8, message: "expected a term, phrase, /regex/ or '(' after 'title:'" });
    expect(error('title:')).toEqual({ column: 7, message: "expected a term, phrase, /regex/ or '(' after 'title:'" });
  });

  it('reports wildcards that are too short or misplaced', () => {
    expect(error('d*')).toEqual({ column: 1, message: "wildcard 'd*' needs at least 2 letters before '*' (or before the first '?')" });
    expect(error('x de*ploy')).toEqual({ column: 5, message: "'*' is only allowed at the end of a word, as in 'deploy*'" });
    expect(error("korea's*")).toEqual({ column: 1, message: "wildcard 'korea's*' must be a single word of letters and digits" });
    expect(error('source:reu*')).toEqual({
      column: 8,
      message: "wildcards are not supported in 'source:' (it already matches parent domains and language prefixes)",
    });
  });

  it('reports unterminated phrases and regexes, and empty ones', () => {
    expect(error('a "north korea')).toEqual({ column: 15, message: `expected '"' to close the phrase opened at column 3` });
    expect(error('a /kur.k')).toEqual({ column: 9, message: "expected '/' to close the regular expression opened at column 3" });
    expect(error('a ""')).toEqual({ column: 3, message: 'empty phrase: "" has no letters or digits to match' });
    expect(error('a //')).toEqual({ column: 3, message: 'empty regular expression //' });
  });

  it('reports invalid RE2 patterns, including constructs RE2 refuses', () => {
    expect(error('/(a/')).toEqual({ column: 1, message: 'invalid regular expression /(a/: missing closing ): `(a`' });
    expect(error('/(a)\\1/').message).toContain('invalid regular expression');
  });

  it('reports terms without letters or digits', () => {
    expect(error('a &')).toEqual({ column: 3, message: "'&' has no letters or digits to match" });
  });
});
