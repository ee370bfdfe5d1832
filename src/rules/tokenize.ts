/**
 * Words as the rule engine sees them: NFKC, lower case, diacritics stripped, split into runs of
 * letters, digits and marks. Queries and articles go through the same functions, so they agree.
 */

/** A field's words with their offsets in the original text (for snippets and explanations). */
export interface TokenizedText {
  text: string;
  tokens: string[];
  /** Offset of the first character of the original word each token comes from. */
  starts: number[];
  /** Offset just after that original word. */
  ends: number[];
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const ASCII_WORD = /[a-z0-9]+/g;
const UNICODE_WORD = /[\p{L}\p{N}\p{M}]+/gu;
const NON_SPACING_MARK = /\p{Mn}/gu;
const WORD_SPLIT = /[^\p{L}\p{N}\p{M}]+/u;

/**
 * Normalises one word. NFD splits `é` into `e` + a non-spacing mark that is then dropped; Hangul
 * syllables also decompose (into jamo, which are letters, not marks), and the final NFKC
 * composes them back, so Korean words are unchanged.
 */
export function normalizeWord(word: string): string {
  if (ASCII_ONLY.test(word)) return word.toLowerCase();
  return word.normalize('NFKC').toLowerCase().normalize('NFD').replace(NON_SPACING_MARK, '').normalize('NFKC');
}

/** Splits text into normalised tokens, keeping where each came from. */
export function tokenizeText(text: string): TokenizedText {
  const tokens: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  if (ASCII_ONLY.test(text)) {
    // Lower-casing ASCII keeps offsets, so the fast path needs no per-word work.
    const lower = text.toLowerCase();
    ASCII_WORD.lastIndex = 0;
    for (let m = ASCII_WORD.exec(lower); m !== null; m = ASCII_WORD.exec(lower)) {
      tokens.push(m[0]);
      starts.push(m.index);
      ends.push(m.index + m[0].length);
    }
    return { text, tokens, starts, ends };
  }
  UNICODE_WORD.lastIndex = 0;
  for (let m = UNICODE_WORD.exec(text); m !== null; m = UNICODE_WORD.exec(text)) {
    const end = m.index + m[0].length;
    // Normalisation can itself produce separators (NFKC of `½` is `1⁄2`): split again.
    for (const piece of normalizeWord(m[0]).split(WORD_SPLIT)) {
      if (piece === '') continue;
      tokens.push(piece);
      starts.push(m.index);
      ends.push(end);
    }
  }
  return { text, tokens, starts, ends };
}

/** Normalised words of a query term (a term written `Korea's` yields `korea`, `s`). */
export function queryWords(text: string): string[] {
  return tokenizeText(text).tokens;
}
