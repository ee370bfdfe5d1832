/**
 * Splits a query into lexemes. Offsets are 0-based positions in the query; errors carry them so
 * the parser can point a caret at the problem.
 */

export type Lexeme =
  | { type: 'lparen'; offset: number }
  | { type: 'rparen'; offset: number }
  | { type: 'minus'; offset: number }
  | { type: 'and' | 'or' | 'not'; offset: number; text: string }
  | { type: 'near'; offset: number; text: string; distance: number; ordered: boolean }
  /** `title:`; `name` as written (checked by the parser). */
  | { type: 'field'; offset: number; name: string; text: string }
  | { type: 'phrase'; offset: number; text: string }
  | { type: 'regex'; offset: number; source: string; text: string }
  | { type: 'word'; offset: number; text: string };

export interface LexError {
  offset: number;
  message: string;
}

export const DEFAULT_NEAR_DISTANCE = 5;
const MAX_NEAR_DISTANCE = 1000;

const WHITESPACE = /\s/u;
const FIELD_PREFIX = /^([A-Za-z]+):/;
const NEAR_OPERATOR = /^(O?NEAR)(?:\/(.*))?$/s;

/** `\s` (Unicode), decided by char code for ASCII: the lexer asks for every character of every query. */
function isWhitespace(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code < 128 ? code === 32 || (code >= 9 && code <= 13) : WHITESPACE.test(ch);
}

function isWordChar(ch: string): boolean {
  return !isWhitespace(ch) && ch !== '(' && ch !== ')' && ch !== '"';
}

/** Where the word starting at `start` ends: by char code for ASCII, the scan every query character goes through. */
function wordEnd(query: string, start: number): number {
  let end = start;
  for (; end < query.length; end++) {
    const code = query.charCodeAt(end);
    if (code >= 128) {
      if (!isWordChar(query[end] as string)) break;
    } else if (code === 32 || (code >= 9 && code <= 13) || code === 40 || code === 41 || code === 34) {
      break; // whitespace, '(', ')', '"'
    }
  }
  return end;
}

/** `-` is NOT only when glued to what it negates: `-troops`, `-(a b)`, `-"a b"`. */
function startsOperand(ch: string | undefined): boolean {
  return ch !== undefined && (isWordChar(ch) || ch === '(' || ch === '"');
}

export function lex(query: string): { lexemes: Lexeme[] } | { error: LexError } {
  const lexemes: Lexeme[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i] as string;
    if (isWhitespace(ch)) {
      i++;
    } else if (ch === '(') {
      lexemes.push({ type: 'lparen', offset: i++ });
    } else if (ch === ')') {
      lexemes.push({ type: 'rparen', offset: i++ });
    } else if (ch === '"') {
      const close = query.indexOf('"', i + 1);
      if (close < 0) return { error: { offset: query.length, message: `expected '"' to close the phrase opened at column ${i + 1}` } };
      lexemes.push({ type: 'phrase', offset: i, text: query.slice(i + 1, close) });
      i = close + 1;
    } else if (ch === '/') {
      const regex = lexRegex(query, i);
      if ('error' in regex) return regex;
      lexemes.push(regex.lexeme);
      i = regex.next;
    } else if (ch === '-' && startsOperand(query[i + 1])) {
      lexemes.push({ type: 'minus', offset: i++ });
    } else {
      const end = wordEnd(query, i);
      const text = query.slice(i, end);
      const field = text.includes(':') ? FIELD_PREFIX.exec(text) : null;
      // `https://...` is a URL, not a field named `https`.
      if (field && !text.startsWith('//', field[0].length)) {
        lexemes.push({ type: 'field', offset: i, name: field[1] as string, text: field[0] });
        i += field[0].length;
        continue;
      }
      const operator = lexOperator(text, i);
      if (operator && 'error' in operator) return operator;
      lexemes.push(operator ?? { type: 'word', offset: i, text });
      i = end;
    }
  }
  return { lexemes };
}

function lexOperator(text: string, offset: number): Lexeme | { error: LexError } | undefined {
  if (text === 'AND') return { type: 'and', offset, text };
  if (text === 'OR') return { type: 'or', offset, text };
  if (text === 'NOT') return { type: 'not', offset, text };
  const near = text.includes('NEAR') ? NEAR_OPERATOR.exec(text) : null;
  if (!near) return undefined;
  const name = near[1] as string;
  const ordered = name === 'ONEAR';
  const number = near[2];
  if (number === undefined) return { type: 'near', offset, text, distance: DEFAULT_NEAR_DISTANCE, ordered };
  const numberOffset = offset + name.length + 1;
  if (!/^\d+$/.test(number)) {
    return { error: { offset: numberOffset, message: `expected a number after '${name}/' (e.g. ${name}/5)` } };
  }
  const distance = Number(number);
  if (distance > MAX_NEAR_DISTANCE) {
    return { error: { offset: numberOffset, message: `${name} distance must be at most ${MAX_NEAR_DISTANCE} words, got ${number}` } };
  }
  return { type: 'near', offset, text, distance, ordered };
}

/** `/pattern/`, where `\/` stands for a slash; other escapes are kept for RE2. */
function lexRegex(query: string, start: number): { lexeme: Lexeme; next: number } | { error: LexError } {
  let source = '';
  let i = start + 1;
  while (i < query.length) {
    const ch = query[i] as string;
    if (ch === '\\' && i + 1 < query.length) {
      const next = query[i + 1] as string;
      source += next === '/' ? '/' : ch + next;
      i += 2;
    } else if (ch === '/') {
      return { lexeme: { type: 'regex', offset: start, source, text: query.slice(start, i + 1) }, next: i + 1 };
    } else {
      source += ch;
      i++;
    }
  }
  return { error: { offset: query.length, message: `expected '/' to close the regular expression opened at column ${start + 1}` } };
}
