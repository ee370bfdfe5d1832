import { STOP_WORDS } from './stop-words.js';

/**
 * Combining accents of Latin, Greek and Cyrillic (U+0300-U+036F) and Arabic vowel marks. Only these are
 * stripped: marks of Indic scripts change the word, and Hangul decomposes into jamo, not into marks, so
 * NFC after stripping rebuilds the syllables unchanged.
 */
const STRIPPED_MARKS = /[\u0300-\u036f\u064b-\u065f\u0670]/g;
/**
 * A word: letters, digits and marks (so Indic vowel signs stay inside their word); digits may be grouped
 * by `.` `,` or `'` ("10,000", "7.1"), which are then dropped so "10,000" and "10000" agree.
 */
const WORD = /[\p{L}\p{N}\p{M}]+(?:[.,'][\p{N}]+)*/gu;
const DIGIT_GROUPING = /[.,']/g;
/** Scripts written without spaces; their runs become overlapping character pairs. */
const UNSPACED_SCRIPT = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+$/u;
/** No Han, Hiragana or Katakana character sits below U+2E80 (CJK Radicals Supplement). */
const FIRST_UNSPACED = 0x2e80;
const NUMBER_START = /^\p{N}/u;
const ASCII_ONLY = /^[\u0000-\u007f]*$/;

/** NFKC (full-width and ligature forms), case-folded, Latin/Greek/Cyrillic/Arabic marks removed. */
export function normaliseText(text: string): string {
  // ASCII has no compatibility forms, decompositions or marks: the three normalisations leave it as it is.
  if (ASCII_ONLY.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(STRIPPED_MARKS, '').normalize('NFC');
}

/**
 * The words that identify a story, in order: normalised, split on anything that is not a letter or digit,
 * stop words and one-letter words dropped. Numbers are kept whatever their length because they often
 * tell two same-topic stories apart (a 6.1 and a 7.1 earthquake).
 */
export function storyTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const word of normaliseText(text).match(WORD) ?? []) {
    const first = word.charCodeAt(0);
    // Cheap code-point checks first: the script regexes cost more than the rest of tokenising.
    if (first >= FIRST_UNSPACED && UNSPACED_SCRIPT.test(word)) {
      for (let i = 0; i + 1 < word.length; i++) tokens.push(word.slice(i, i + 2));
      if (word.length === 1) tokens.push(word);
    } else if ((first >= 0x30 && first <= 0x39) || (first > 0x7f && NUMBER_START.test(word))) {
      tokens.push(word.replace(DIGIT_GROUPING, ''));
    } else if (word.length > 1 && !STOP_WORDS.has(word)) {
      tokens.push(word);
    }
  }
  return tokens;
}
