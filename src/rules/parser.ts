import type { ArticleField } from './rule-set.js';
import { QUERY_FIELDS, type KeywordField, type LeafNode, type QueryNode, type TextScope } from './ast.js';
import { lex, type Lexeme } from './lexer.js';
import { compileRegex } from './regex.js';
import { normalizeKeyword } from './document.js';
import { closestName } from '../text/edit-distance.js';
import { stemApplies, stemLanguageOf, stemmerFor } from './stemming.js';
import { queryWords } from './tokenize.js';

export interface QueryError {
  /** 1-based column in the query. */
  column: number;
  message: string;
}

export type ParseResult = { ok: true; ast: QueryNode } | { ok: false; errors: QueryError[] };

export interface ParseOptions {
  /** Named term sets (`@north_korea`), each already flattened to its member terms and phrases. */
  termSets?: ReadonlyMap<string, readonly string[]>;
  /** A rule-level `stem: ru`: every plain term in that language's script matches by stem. */
  stem?: string;
}

type Scope = TextScope | KeywordField;

/**
 * Parentheses and NOT/- nested deeper than this are refused: parsing, compiling and evaluating
 * recurse once per level, and thousands of levels overflow the stack (at parse time, or worse, on
 * every article). No hand-written rule comes near it.
 */
export const MAX_NESTING = 100;

/** Thrown inside the parser only; parseQuery turns it into a value. */
class ParseFailure extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Grammar, loosest first (precedence NOT > NEAR > AND > OR):
 *   or    := and ('OR' and)*
 *   and   := near (['AND'] near)*          adjacent operands mean AND
 *   near  := unary (('NEAR'|'ONEAR')['/'n] unary)*
 *   unary := ('NOT' | '-') unary | primary
 *   primary := [field ':'] ('(' or ')' | "phrase" | /regex/ | word)
 */
export function parseQuery(query: string, options: ParseOptions = {}): ParseResult {
  const lexed = lex(query);
  if ('error' in lexed) return failure(lexed.error.offset, lexed.error.message);
  try {
    const parser = new Parser(lexed.lexemes, query.length, options);
    return { ok: true, ast: parser.parseQuery() };
  } catch (err) {
    if (err instanceof ParseFailure) return failure(err.offset, err.message);
    throw err;
  }
}

function failure(offset: number, message: string): ParseResult {
  return { ok: false, errors: [{ column: offset + 1, message }] };
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly lexemes: Lexeme[],
    private readonly end: number,
    private readonly options: ParseOptions,
  ) {}

  parseQuery(): QueryNode {
    if (this.lexemes.length === 0) throw new ParseFailure(0, 'empty query: expected a term');
    const ast = this.parseOr('default');
    const extra = this.peek();
    if (extra) {
      // Only ')' can stop the loops above before the end.
      throw new ParseFailure(extra.offset, "unexpected ')' without a matching '('");
    }
    return ast;
  }

  private peek(): Lexeme | undefined {
    return this.lexemes[this.pos];
  }

  private next(): Lexeme | undefined {
    return this.lexemes[this.pos++];
  }

  private offsetHere(): number {
    return this.peek()?.offset ?? this.end;
  }

  // Most operands stand alone: the list of children is made only when a second one comes (each list
  // was an allocation per level per term, a tenth of what loading 10,000 rules allocated).
  private parseOr(scope: Scope): QueryNode {
    const first = this.parseAnd(scope);
    if (this.peek()?.type !== 'or') return first;
    const children = [first];
    while (this.peek()?.type === 'or') {
      this.next();
      children.push(this.parseAnd(scope));
    }
    return { kind: 'or', children };
  }

  private parseAnd(scope: Scope): QueryNode {
    const first = this.parseNear(scope);
    let children: QueryNode[] | undefined;
    for (let t = this.peek(); t && t.type !== 'or' && t.type !== 'rparen'; t = this.peek()) {
      if (t.type === 'and') this.next();
      const next = this.parseNear(scope);
      if (children) children.push(next);
      else children = [first, next];
    }
    return children ? { kind: 'and', children } : first;
  }

  private parseNear(scope: Scope): QueryNode {
    const leftOffset = this.offsetHere();
    let left = this.parseUnary(scope);
    for (let t = this.peek(); t?.type === 'near'; t = this.peek()) {
      this.next();
      const rightOffset = this.offsetHere();
      const right = this.parseUnary(scope);
      checkNearOperand(left, leftOffset, t.text);
      checkNearOperand(right, rightOffset, t.text);
      left = { kind: 'near', left, right, distance: t.distance, ordered: t.ordered };
    }
    return left;
  }

  private parseUnary(scope: Scope): QueryNode {
    const t = this.peek();
    if (t?.type === 'not' || t?.type === 'minus') {
      this.next();
      return this.nested(t.offset, () => ({ kind: 'not', child: this.parseUnary(scope) }));
    }
    return this.parsePrimary(scope);
  }

  /** Parses one level deeper, refusing to go past MAX_NESTING (reported at the opening lexeme). */
  private nested(offset: number, parse: () => QueryNode): QueryNode {
    if (++this.depth > MAX_NESTING) {
      throw new ParseFailure(
        offset,
        `nested too deeply: at most ${MAX_NESTING} levels of parentheses and NOT/- are allowed; simplify the query`,
      );
    }
    const node = parse();
    this.depth--;
    return node;
  }

  private parsePrimary(scope: Scope): QueryNode {
    const at = this.pos;
    const t = this.next();
    if (!t) throw new ParseFailure(this.end, `expected a term${this.after(at)}, found the end of the query`);
    switch (t.type) {
      case 'lparen':
        return this.parseGroup(t.offset, scope);
      case 'field':
        return this.parseFielded(t);
      case 'phrase':
        return phraseLeaf(t.text, t.offset, scope);
      case 'regex':
        return regexLeaf(t.source, t.offset, scope);
      case 'word':
        return t.text.startsWith('@') ? this.termSet(t.text, t.offset, scope) : wordLeaf(t.text, t.offset, scope, this.options.stem);
      default:
        throw new ParseFailure(t.offset, `expected a term${this.after(at)}, found ${describe(t)}`);
    }
  }

  /** `@name`: the OR of the set's members, each read as a word (wildcards and `~` included) or a phrase. */
  private termSet(text: string, offset: number, scope: Scope): QueryNode {
    const name = text.slice(1);
    if (isKeywordScope(scope)) throw new ParseFailure(offset, `term sets cannot be used with '${scope}:'`);
    const members = this.options.termSets?.get(name);
    if (!members) {
      const known = [...(this.options.termSets?.keys() ?? [])];
      const close = closestName(name, known);
      const hint = close
        ? ` (did you mean '@${close}'?)`
        : known.length > 0
          ? `; known sets: ${known.map((k) => `@${k}`).join(', ')}`
          : '; define it in terms.yaml';
      throw new ParseFailure(offset, `unknown term set '${text}'${hint}`);
    }
    const children = members.map((member) =>
      /\s/u.test(member.trim()) ? phraseLeaf(member, offset, scope) : wordLeaf(member.trim(), offset, scope, this.options.stem),
    );
    return children.length === 1 ? (children[0] as QueryNode) : { kind: 'or', children };
  }

  /** ` after '('` for the operator or bracket before lexeme `at`, for messages (only made for them). */
  private after(at: number): string {
    const previous = this.lexemes[at - 1];
    if (!previous || previous.type === 'word' || previous.type === 'phrase' || previous.type === 'regex') return '';
    return ` after ${describe(previous)}`;
  }

  private parseGroup(openOffset: number, scope: Scope): QueryNode {
    if (this.peek()?.type === 'rparen') {
      throw new ParseFailure(openOffset, "empty group '()': expected a term between the parentheses");
    }
    const inner = this.nested(openOffset, () => this.parseOr(scope));
    const close = this.next();
    if (close?.type !== 'rparen') {
      throw new ParseFailure(close?.offset ?? this.end, `expected ')' to close '(' at column ${openOffset + 1}`);
    }
    return inner;
  }

  private parseFielded(t: Extract<Lexeme, { type: 'field' }>): QueryNode {
    const field = t.name.toLowerCase() as ArticleField;
    if (!QUERY_FIELDS.includes(field)) {
      throw new ParseFailure(t.offset, `unknown field '${t.name}:'; valid fields are ${QUERY_FIELDS.map((f) => `${f}:`).join(', ')}`);
    }
    const operand = this.peek();
    if (!operand || !['lparen', 'phrase', 'regex', 'word'].includes(operand.type)) {
      throw new ParseFailure(operand?.offset ?? this.end, `expected a term, phrase, /regex/ or '(' after '${t.text}'`);
    }
    return this.parsePrimary(field);
  }
}

function describe(t: Lexeme): string {
  switch (t.type) {
    case 'lparen':
      return "'('";
    case 'rparen':
      return "')'";
    case 'minus':
      return "'-'";
    case 'phrase':
      return `"${t.text}"`;
    case 'regex':
    case 'field':
    case 'word':
    case 'and':
    case 'or':
    case 'not':
    case 'near':
      return `'${t.text}'`;
  }
}

function isKeywordScope(scope: Scope): scope is KeywordField {
  return scope === 'source' || scope === 'lang';
}

function keywordLeaf(text: string, offset: number, field: KeywordField): LeafNode {
  const value = normalizeKeyword(field, text);
  if (value === '') throw new ParseFailure(offset, `expected a value after '${field}:'`);
  if (/[*?]/.test(value))
    throw new ParseFailure(offset, `wildcards are not supported in '${field}:' (it already matches parent domains and language prefixes)`);
  return { kind: 'keyword', field, value };
}

function phraseLeaf(text: string, offset: number, scope: Scope): LeafNode {
  if (isKeywordScope(scope)) return keywordLeaf(text, offset, scope);
  const words = queryWords(text);
  if (words.length === 0) throw new ParseFailure(offset, `empty phrase: "${text}" has no letters or digits to match`);
  if (words.length === 1) return { kind: 'term', field: scope, word: words[0] as string };
  return { kind: 'phrase', field: scope, words };
}

function regexLeaf(source: string, offset: number, scope: Scope): LeafNode {
  if (source === '') throw new ParseFailure(offset, 'empty regular expression //');
  const re = compileRegex(source);
  if ('error' in re) throw new ParseFailure(offset, `invalid regular expression /${source}/: ${re.error}`);
  return { kind: 'regex', field: scope, source };
}

function wordLeaf(text: string, offset: number, scope: Scope, ruleStem: string | undefined): LeafNode {
  if (isKeywordScope(scope)) return keywordLeaf(text, offset, scope);
  if (text.startsWith('~')) return stemLeaf(text.slice(1), offset, scope, ruleStem);
  if (/[*?]/.test(text)) return { kind: 'wildcard', field: scope, pattern: wildcardPattern(text, offset) };
  const words = queryWords(text);
  if (words.length === 0) throw new ParseFailure(offset, `'${text}' has no letters or digits to match`);
  // `Korea's` or `U.S.` hold several words: they match as a phrase.
  if (words.length === 1) {
    const word = words[0] as string;
    if (ruleStem !== undefined && stemApplies(ruleStem, word)) return stemLeaf(word, offset, scope, ruleStem);
    return { kind: 'term', field: scope, word };
  }
  return { kind: 'phrase', field: scope, words };
}

/**
 * `~войска`: every word with the same Snowball stem. The pattern holds the stem's first letters, so
 * the presearch index and the prefix lookup find candidates; the stem test decides.
 */
function stemLeaf(text: string, offset: number, scope: TextScope, ruleStem: string | undefined): LeafNode {
  const words = queryWords(text);
  if (words.length !== 1) throw new ParseFailure(offset, `'~${text}' must be a single word: '~' matches a word by its stem`);
  const word = words[0] as string;
  const lang = ruleStem !== undefined && stemApplies(ruleStem, word) ? ruleStem : stemLanguageOf(word);
  const stemmer = lang === undefined ? undefined : stemmerFor(lang);
  if (!stemmer || lang === undefined)
    throw new ParseFailure(offset, `no stemmer for '~${text}': set 'stem:' on the rule to a language with a Snowball stemmer`);
  const stem = stemmer.stem(word);
  // Snowball may change a stem's last letter (`happy` -> `happi`): index only the part shared with the word.
  let shared = 0;
  while (shared < stem.length && stem[shared] === word[shared]) shared++;
  const prefix = stem.slice(0, Math.max(0, Math.min(shared, stem.length - 1)));
  return { kind: 'wildcard', field: scope, pattern: `${prefix}*`, stem: { lang, word, stem } };
}

const MIN_PREFIX_LETTERS = 2;

function wildcardPattern(text: string, offset: number): string {
  const star = text.indexOf('*');
  if (star >= 0 && star !== text.length - 1) {
    throw new ParseFailure(offset + star, `'*' is only allowed at the end of a word, as in 'deploy*'`);
  }
  let pattern = '';
  for (const part of text.split(/([*?])/)) {
    if (part === '*' || part === '?' || part === '') {
      pattern += part;
      continue;
    }
    const words = queryWords(part);
    if (words.length !== 1) {
      throw new ParseFailure(offset, `wildcard '${text}' must be a single word of letters and digits`);
    }
    pattern += words[0];
  }
  if (star >= 0) {
    const literalPrefix = pattern.split(/[*?]/)[0] as string;
    if ([...literalPrefix].length < MIN_PREFIX_LETTERS) {
      throw new ParseFailure(
        offset,
        `wildcard '${text}' needs at least ${MIN_PREFIX_LETTERS} letters before '*' (or before the first '?')`,
      );
    }
  }
  return pattern;
}

/** NEAR compares word positions, so each side must be something with positions. */
function checkNearOperand(node: QueryNode, offset: number, operator: string): void {
  if (isNearOperand(node)) return;
  throw new ParseFailure(
    offset,
    `${operator} operands must be terms, phrases, wildcards, text /regex/ or OR-groups of these; combine NEAR clauses with AND`,
  );
}

function isNearOperand(node: QueryNode): boolean {
  switch (node.kind) {
    case 'term':
    case 'phrase':
    case 'wildcard':
      return true;
    case 'regex':
      return !isKeywordScope(node.field);
    case 'or':
      return node.children.every(isNearOperand);
    default:
      return false;
  }
}
