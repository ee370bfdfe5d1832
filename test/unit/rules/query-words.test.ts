import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryWords, tokenizeText } from '../../../src/rules/tokenize.js';

describe('queryWords', () => {
  it('gives the words the article scanner gives, for phrases of ASCII words and any other text', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'Z', 'k', '0', '9', ' ', ' ', '-', "'", '.', 'é', 'ß', 'İ', '한', '\t'),
      maxLength: 24,
    });
    fc.assert(
      fc.property(text, (t) => {
        expect(queryWords(t)).toEqual(tokenizeText(t).tokens);
      }),
      { numRuns: 3000 },
    );
  });
});
