import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashWord, WordTable } from '../../../src/rules/word-table.js';

/** Lower-case ASCII letters and digits (what the article scanner reads), Latin-1 and other letters. */
const word = fc.string({
  unit: fc.constantFrom('a', 'b', 'k', 'z', '0', '9', 'é', 'ß', 'ÿ', 'ж', '한'),
  minLength: 1,
  maxLength: 20,
});

describe('WordTable', () => {
  it('finds exactly the words inserted, by string and by a range of text read in lower case', () => {
    fc.assert(
      fc.property(fc.uniqueArray(word, { maxLength: 60 }), fc.array(word, { maxLength: 30 }), (inserted, probes) => {
        const table = new WordTable();
        const ids = new Map<string, number>();
        for (const w of inserted) {
          ids.set(w, ids.size);
          table.insert(w, hashWord(w), ids.size - 1, 0);
        }
        for (const w of [...inserted, ...probes]) {
          const slot = table.find(w, hashWord(w));
          expect(slot < 0 ? undefined : table.id(slot)).toBe(ids.get(w));
          expect(slot < 0 ? undefined : table.word(slot)).toBe(ids.has(w) ? w : undefined);
          if (!/^[a-z0-9]+$/.test(w)) continue;
          // Upper case and surrounding text, as in an article: short words are compared in their slot, long ones in `chars`.
          const text = `(${w.toUpperCase()})`;
          const found = table.findAscii(text, 1, 1 + w.length, hashWord(w));
          expect(found < 0 ? undefined : table.id(found)).toBe(ids.get(w));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps finding its words after growing', () => {
    const table = new WordTable();
    const words = Array.from({ length: 3000 }, (_, i) => `${'a'.repeat(1 + (i % 15))}${i}`);
    words.forEach((w, i) => table.insert(w, hashWord(w), i, 0));
    words.forEach((w, i) => {
      expect(table.id(table.findAscii(w.toUpperCase(), 0, w.length, hashWord(w)))).toBe(i);
      expect(table.id(table.find(w, hashWord(w)))).toBe(i);
    });
    expect(table.findAscii('b', 0, 1, hashWord('b'))).toBe(-1);
  });
});
