import { describe, expect, it } from 'vitest';
import { CompiledRuleSet, type CompiledRule } from '../../../src/rules/compile.js';
import type { RuleFailure } from '../../../src/rules/index.js';
import { Vocabulary } from '../../../src/rules/vocabulary.js';
import { NOW, article } from './article-fixture.js';
import { matcher, stackExhausting } from './broken-matcher.js';

describe('a rule that throws while matching', () => {
  it('is skipped and reported with a running count; every other rule still matches', () => {
    const vocabulary = new Vocabulary();
    const rules: CompiledRule[] = [
      { id: 'before', query: matcher('troops', vocabulary) },
      { id: 'broken', query: stackExhausting(vocabulary) },
      { id: 'after', query: matcher('kursk OR troops', vocabulary) },
      { id: 'broken-exclude', query: matcher('troops', vocabulary), exclude: stackExhausting(vocabulary) },
    ];
    // No presearch index: every rule is evaluated on every article.
    const ruleSet = new CompiledRuleSet(rules, vocabulary, undefined);
    const failures: RuleFailure[] = [];
    const ctx = { feedTags: [], now: NOW, onRuleError: (f: RuleFailure) => failures.push(f) };

    expect(ruleSet.match(article({ title: 'troops in Kursk' }), ctx).map((m) => m.ruleId)).toEqual(['before', 'after']);
    expect(ruleSet.match(article({ title: 'more troops' }), ctx).map((m) => m.ruleId)).toEqual(['before', 'after']);
    expect(failures.map((f) => [f.ruleId, f.count])).toEqual([
      ['broken', 1],
      ['broken-exclude', 1],
      ['broken', 2],
      ['broken-exclude', 2],
    ]);
    expect(failures[0]!.error).toBeInstanceOf(RangeError);
  });

  it('is skipped even when nobody listens for failures', () => {
    const vocabulary = new Vocabulary();
    const ruleSet = new CompiledRuleSet(
      [
        { id: 'broken', query: stackExhausting(vocabulary) },
        { id: 'fine', query: matcher('troops', vocabulary) },
      ],
      vocabulary,
      undefined,
    );
    expect(ruleSet.match(article({ title: 'troops' }), { feedTags: [], now: NOW }).map((m) => m.ruleId)).toEqual(['fine']);
  });
});
