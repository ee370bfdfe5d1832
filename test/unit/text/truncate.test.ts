import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphemes, measures, truncate } from '../../../src/text/truncate.js';
import { isWellFormed } from '../../support/well-formed.js';

// Text that breaks naive cutting: surrogate pairs, ZWJ families, flags, combining marks, Hangul, RTL, entities' raw material.
const pieces = ['a', ' ', 'Kim', '👨‍👩‍👧', '🇰🇷', '😀', 'é', 'e\u0301', '서울', 'ㅎㅏ', 'שלום', '&', '<', '>', '"', '\u200d', '\n'];
const hostileText = fc.array(fc.constantFrom(...pieces), { maxLength: 80 }).map((p) => p.join(''));
const anyText = fc.oneof(hostileText, fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }));
const measureNames = Object.keys(measures) as Array<keyof typeof measures>;

describe('truncate', () => {
  it('fits the limit in every unit, cuts only between graphemes and never makes a lone surrogate', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 0, max: 120 }), fc.constantFrom(...measureNames), (text, max, name) => {
        const measure = measures[name];
        const cut = truncate(text, max, { measure });
        if (measure(text) <= max) {
          expect(cut).toBe(text);
          return;
        }
        expect(measure(cut)).toBeLessThanOrEqual(max);
        if (cut === '') return;
        expect(cut.endsWith('…')).toBe(true);
        const kept = cut.slice(0, -1);
        // A prefix of whole graphemes (trailing white space may go).
        const whole = graphemes(text);
        const keptGraphemes = graphemes(kept);
        expect(whole.slice(0, keptGraphemes.length).join('')).toBe(kept);
        if (isWellFormed(text)) expect(isWellFormed(cut)).toBe(true);
      }),
    );
  });

  it('bounds escaped text and never cuts inside an entity when the measure escapes', () => {
    const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 1, max: 120 }), (text, max) => {
        const out = escapeText(truncate(text, max, { measure: (g) => escapeText(g).length }));
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
      }),
    );
  });

  it('keeps whole emoji and syllables: the examples that broke the mail subject and the Slack section', () => {
    expect(truncate('ab😀cd', 4, { measure: measures.utf16 })).toBe('ab…');
    expect(truncate('👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧', 2)).toBe('👨‍👩‍👧…');
    expect(truncate('서울서울', 7, { measure: measures.utf8 })).toBe('서…');
    expect(truncate('Kim meets Putin in Pyongyang', 20, { atWord: true })).toBe('Kim meets Putin in…');
  });
});

describe('one truncation helper for the project', () => {
  it('no other module cuts text and appends an ellipsis, or declares its own truncation function', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '../../../src');
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith(join('text', 'truncate.ts')));
    const offenders: string[] = [];
    for (const file of files) {
      const lines = (await readFile(join(root, file), 'utf8')).split('\n');
      lines.forEach((line, i) => {
        // `${text.slice(0, n)}…`, `chars.slice(0, n).join('')}…`, `function truncateBytes(`...
        if (/\.(slice|substring|substr)\(0,[^)]*\)(\.join\([^)]*\))?\}?…/.test(line) || /function (truncat|shorten|clip)\w*\(/i.test(line))
          offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
