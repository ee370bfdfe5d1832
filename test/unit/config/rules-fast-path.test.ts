import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { wellFormedRulesFile } from '../../../src/config/rules-fast-path.js';
import { ruleSchema, rulesFileSchema } from '../../../src/config/schema.js';

/**
 * The fast check of a rules file either declines (undefined: zod validates the file, and reports) or
 * returns exactly what zod's `rulesFileSchema` returns: the same values, keys in the same order.
 */

/** Every value kind YAML can give, and the edge values of each field. */
const anyValue = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    1,
    2,
    -1,
    1.5,
    2 ** 53,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    ' ',
    '48h',
    '-1h',
    '10',
    'x y',
    'a:b',
  ),
  fc.constantFrom('info', 'medium', 'critical', 'loud', 'en', 'ru', 'english', 'klingon', 'r-1', '.r', 'ok_id.2'),
  fc.string({ maxLength: 4 }),
  fc.array(fc.constantFrom('hook', 'x', '', 1, null), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('team', 'a', '__proto__', 'max', 'per'), fc.constantFrom('desk', '', 3, '1m', null), { maxKeys: 3 }),
);

// Every key ruleSchema knows, and one it does not.
const KEYS = [...Object.keys(ruleSchema.shape), 'typo'];

/** Mostly valid rules with a few fields changed, dropped or added. */
const rule = fc
  .record({
    base: fc.record({
      id: fc.constantFrom('r1', 'rule.two', 'r_3-x'),
      name: fc.constantFrom('Rule', 'n'),
      query: fc.constantFrom('troops', 'a AND b'),
      channels: fc.constantFrom(['hook'], ['a', 'b']),
    }),
    optional: fc.record(
      {
        exclude: fc.constantFrom('', 'sport'),
        enabled: fc.boolean(),
        feeds: fc.constantFrom([], ['wire']),
        tags: fc.constantFrom([], ['world', 'asia']),
        max_age: fc.constantFrom(0, 60, '0s', '48h', ' 2 D ', '1.5m'),
        throttle: fc.constantFrom({ max: 2, per: '1h' }),
        follow_up: fc.constantFrom(2, 5),
        severity: fc.constantFrom('info', 'high'),
        labels: fc.constantFrom({}, { team: 'desk', b: '' }),
        stem: fc.constantFrom('en', 'ru', 'english'),
      },
      { requiredKeys: [] },
    ),
    extra: fc.dictionary(fc.constantFrom(...KEYS), anyValue, { maxKeys: 2 }),
    drop: fc.subarray(['id', 'name', 'query', 'channels'], { maxLength: 1 }),
    mutate: fc.boolean(),
  })
  .map(({ base, optional, extra, drop, mutate }) => {
    const value: Record<string, unknown> = { ...optional, ...base };
    for (const key of drop) delete value[key];
    // Sometimes a field changed to a value of any kind.
    return mutate ? Object.assign(value, extra) : value;
  });

describe('wellFormedRulesFile', () => {
  it('was written against the ruleSchema that is in schema.ts', () => {
    // A tighter ruleSchema (a new bound, enum value or field) would be skipped by the fast check without
    // a word: when this fails, bring rules-fast-path.ts in line first, then this file.
    const checkedAgainst = JSON.parse(readFileSync(new URL('rule-schema.checked.json', import.meta.url), 'utf8'));
    expect(z.toJSONSchema(ruleSchema, { io: 'input', unrepresentable: 'any' })).toEqual(checkedAgainst);
  });

  it('declines, or returns exactly what rulesFileSchema returns', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(rule, rule, rule, anyValue), { maxLength: 4 }), (rules) => {
        const fast = wellFormedRulesFile({ rules });
        const zod = rulesFileSchema.safeParse({ rules });
        if (fast === undefined) return;
        expect(zod.success).toBe(true);
        expect(fast).toStrictEqual(zod.data);
        // Keys in the same order, in every rule.
        expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the usual rule without zod, and a file without rules', () => {
    const ok = { id: 'r1', name: 'R', query: 'troops', channels: ['hook'], max_age: '2h', labels: { team: 'desk' } };
    expect(wellFormedRulesFile({ rules: [ok] })).toStrictEqual(rulesFileSchema.parse({ rules: [ok] }));
    expect(wellFormedRulesFile({})).toStrictEqual({ rules: [] });
  });

  it('declines a file with an invalid rule or an unknown key, so zod reports it', () => {
    expect(wellFormedRulesFile({ rules: [{ id: 'r1', name: 'R', query: '', channels: ['hook'] }] })).toBeUndefined();
    expect(wellFormedRulesFile({ rules: [], other: 1 })).toBeUndefined();
    expect(wellFormedRulesFile({ rules: null })).toBeUndefined();
    expect(wellFormedRulesFile([])).toBeUndefined();
  });
});
