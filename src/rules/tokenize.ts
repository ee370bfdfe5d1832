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
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const NON_SPACING_MARK = /\p{Mn}/gu;
/** Where lower-casing is not case folding: `Straße` = `STRASSE`, and Greek final sigma. */
const FOLDS: Record<string, string> = { ß: 'ss', ς: 'σ' };
const FOLDED = /[ßς]/g;
const WORD_SPLIT = /[^\p{L}\p{N}\p{M}]+/u;

/**
 * Cyrillic й and Ukrainian ї are letters of their own, not и and і with an accent: folding them would
 * also break Snowball stemming, whose Russian endings (-ый, -ий, -ой) are spelt with й.
 */
function keepLetterMarks(mark: string, offset: number, word: string): string {
  const base = word[offset - 1];
  return (mark === '\u0306' && (base === 'и' || base === 'И')) || (mark === '\u0308' && (base === 'і' || base === 'І')) ? mark : '';
}

/**
 * Normalises one word. NFD splits `é` into `e` + a non-spacing mark that is then dropped (but see
 * keepLetterMarks); Hangul syllables also decompose (into jamo, which are letters, not marks), and
 * the final NFKC composes them back, so Korean words are unchanged.
 */
export function normalizeWord(word: string): string {
  if (ASCII_ONLY.test(word)) return word.toLowerCase();
  return word
    .normalize('NFKC')
    .toLowerCase()
    .replace(FOLDED, (ch) => FOLDS[ch] ?? ch)
    .normalize('NFD')
    .replace(NON_SPACING_MARK, keepLetterMarks)
    .normalize('NFKC');
}

/** ASCII letters and digits, by char code (1): the common case is decided without a RegExp. */
export const ASCII_WORD_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD_CHAR[c] = /[A-Za-z0-9]/.test(String.fromCharCode(c)) ? 1 : 0;

export function isWordCodePoint(cp: number): boolean {
  return cp < 128 ? ASCII_WORD_CHAR[cp] === 1 : WORD_CHAR.test(String.fromCodePoint(cp));
}

/**
 * Splits text into normalised tokens, keeping where each came from. A hand-written scanner: this
 * runs on every article, and per-word RegExp work dominated the cost per article.
 */
export function tokenizeText(text: string): TokenizedText {
  const tokens: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  // Lower-casing is length-preserving for almost all text; then ASCII words are plain slices.
  const lower = text.toLowerCase();
  const aligned = lower.length === text.length;
  let start = -1;
  let ascii = true;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    let cp = i < n ? text.charCodeAt(i) : 32;
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      cp = text.codePointAt(i) as number;
      width = 2;
    }
    if (isWordCodePoint(cp)) {
      if (start < 0) {
        start = i;
        ascii = true;
      }
      if (cp >= 128) ascii = false;
      i += width - 1;
      continue;
    }
    if (start < 0) continue;
    if (ascii) {
      tokens.push(aligned ? lower.slice(start, i) : text.slice(start, i).toLowerCase());
      starts.push(start);
      ends.push(i);
    } else {
      for (const piece of normalizedPieces(text.slice(start, i))) {
        tokens.push(piece);
        starts.push(start);
        ends.push(i);
      }
    }
    start = -1;
  }
  return { text, tokens, starts, ends };
}

/** The tokens of one run of word characters holding non-ASCII ones. */
export function normalizedPieces(run: string): string[] {
  // Normalisation can itself produce separators (NFKC of `½` is `1⁄2`): split again.
  return normalizeWord(run)
    .split(WORD_SPLIT)
    .filter((piece) => piece !== '');
}

/** Normalised words of a query term (a term written `Korea's` yields `korea`, `s`). */
export function queryWords(text: string): string[] {
  if (isAsciiWord(text)) return [text.toLowerCase()];
  return asciiWords(text) ?? tokenizeText(text).tokens;
}

/**
 * The words of text made only of ASCII letters, digits and spaces (most phrases), as tokenizeText
 * gives them, without its offsets and copies; undefined for any other text.
 */
function asciiWords(text: string): string[] | undefined {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    if (code === 32) {
      if (start >= 0) words.push(text.slice(start, i).toLowerCase());
      start = -1;
    } else if (code >= 128 || ASCII_WORD_CHAR[code] !== 1) {
      return undefined;
    } else if (start < 0) {
      start = i;
    }
  }
  return words;
}

/** Only ASCII letters and digits: one word, its own lower case (most query terms; no scan needed). */
function isAsciiWord(text: string): boolean {
  if (text === '') return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || ASCII_WORD_CHAR[code] !== 1) return false;
  }
  return true;
}
