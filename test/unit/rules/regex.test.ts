import { describe, expect, it } from 'vitest';
import { requiredLiteral } from '../../../src/rules/regex.js';

describe('requiredLiteral', () => {
  it('finds the longest top-level literal run, lower-cased', () => {
    expect(requiredLiteral('Kur.k')).toBeUndefined();
    expect(requiredLiteral('troops?')).toBe('troop');
    expect(requiredLiteral('\\bdeploy(ed)?\\b')).toBe('deploy');
    expect(requiredLiteral('ab[xyz]MORETEXT')).toBe('moretext');
  });

  it('gives up when a match need not contain any literal', () => {
    expect(requiredLiteral('north|south')).toBeUndefined();
    expect(requiredLiteral('(troops)')).toBeUndefined();
    expect(requiredLiteral('ab*')).toBeUndefined();
    expect(requiredLiteral('\\d+')).toBeUndefined();
  });

  it('skips letters whose case folding differs between RE2 and toLowerCase', () => {
    // RE2 /i matches the Kelvin sign for k and the long s for s.
    expect(requiredLiteral('kelvin')).toBe('elvin');
    expect(requiredLiteral('mass')).toBeUndefined();
  });
});
