import {
  DEFAULT_FIELDS,
  type KeywordNode,
  type LeafNode,
  type PhraseNode,
  type QueryNode,
  type RegexNode,
  type TermNode,
  type TextField,
  type TextScope,
  type WildcardNode,
} from './ast.js';
import { printTerm } from './print.js';
import { compileRegex, requiredLiteral, type Pattern } from './regex.js';
import { stemmerFor } from './stemming.js';
import { fieldMask, type Vocabulary } from './vocabulary.js';

/**
 * A query made ready to evaluate: words resolved to vocabulary ids, fields to lists and bit masks,
 * patterns compiled. One-to-one with the AST, so evaluating it is evaluating the AST.
 */
export type Matcher =
  | { kind: 'term'; leaf: TermNode; id: number; fields: readonly TextField[]; mask: number }
  | { kind: 'phrase'; leaf: PhraseNode; ids: number[]; fields: readonly TextField[]; mask: number }
  | {
      kind: 'wildcard';
      leaf: WildcardNode;
      /** Vocabulary id of the wildcard: the words matching it carry it, found once per distinct word. */
      id: number;
      fields: readonly TextField[];
      mask: number;
    }
  | { kind: 'regex'; leaf: RegexNode; re: Pattern; literal: string | undefined; fields: readonly TextField[] }
  /** source: and lang: values and patterns: whole-value tests, no positions. */
  | { kind: 'keyword'; leaf: KeywordNode | RegexNode; re?: Pattern }
  | { kind: 'and' | 'or'; children: Matcher[] }
  | { kind: 'not'; child: Matcher }
  | { kind: 'near'; left: Matcher; right: Matcher; distance: number; ordered: boolean; fields: readonly TextField[] };

export type LeafMatcher = Extract<Matcher, { leaf: LeafNode }>;

/** The term as explanations show it, printed on first use and kept rather than printed per match. */
const printedTerms = new WeakMap<LeafNode, string>();

export function termText(m: LeafMatcher): string {
  let text = printedTerms.get(m.leaf);
  if (text === undefined) printedTerms.set(m.leaf, (text = printTerm(m.leaf)));
  return text;
}

export function isLeafMatcher(m: Matcher): m is LeafMatcher {
  return 'leaf' in m;
}

/** Per scope, its fields and their mask: made once and shared by every leaf in that scope. */
const scopes = new Map<TextScope, { fields: readonly TextField[]; mask: number }>();

function scopeOf(scope: TextScope): { fields: readonly TextField[]; mask: number } {
  let known = scopes.get(scope);
  if (known === undefined) {
    const fields = scope === 'default' ? DEFAULT_FIELDS : [scope];
    scopes.set(scope, (known = { fields, mask: fieldMask(fields) }));
  }
  return known;
}

/** Text fields a positional matcher (leaf or OR-group of leaves) can have hits in. */
function positionalFields(m: Matcher): readonly TextField[] {
  if ('fields' in m && m.kind !== 'near') return m.fields;
  if (m.kind !== 'or') return [];
  const lists = m.children.map(positionalFields);
  const first = lists[0] as readonly TextField[];
  // Usually every alternative has the same (shared) fields.
  return lists.every((list) => list === first) ? first : [...new Set(lists.flat())];
}

export function compileMatcher(node: QueryNode, vocabulary: Vocabulary): Matcher {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map((c) => compileMatcher(c, vocabulary)) };
    case 'not':
      return { kind: 'not', child: compileMatcher(node.child, vocabulary) };
    case 'near': {
      const left = compileMatcher(node.left, vocabulary);
      const right = compileMatcher(node.right, vocabulary);
      const leftFields = positionalFields(left);
      const rightFields = positionalFields(right);
      const fields = leftFields === rightFields ? leftFields : leftFields.filter((f) => rightFields.includes(f));
      return { kind: 'near', left, right, distance: node.distance, ordered: node.ordered, fields };
    }
    case 'keyword':
      return { kind: 'keyword', leaf: node };
    case 'regex': {
      if (node.field === 'source' || node.field === 'lang') return { kind: 'keyword', leaf: node, re: regexOf(node.source) };
      const literal = requiredLiteral(node.source);
      return { kind: 'regex', leaf: node, re: regexOf(node.source), literal, fields: scopeOf(node.field).fields };
    }
    case 'term': {
      const { fields, mask } = scopeOf(node.field);
      return { kind: 'term', leaf: node, id: vocabulary.add(node.word), fields, mask };
    }
    case 'phrase': {
      const { fields, mask } = scopeOf(node.field);
      return { kind: 'phrase', leaf: node, ids: node.words.map((w) => vocabulary.add(w)), fields, mask };
    }
    case 'wildcard': {
      const { fields, mask } = scopeOf(node.field);
      return { kind: 'wildcard', leaf: node, id: wildcardId(node, vocabulary), fields, mask };
    }
  }
}

/** The literal text before the first wildcard, if it is long enough to look up (>= 2 code units). */
export function wildcardPrefix(pattern: string): string | undefined {
  const prefix = pattern.split(/[*?]/)[0] as string;
  return prefix.length >= 2 ? prefix : undefined;
}

/**
 * The wildcard's vocabulary id (the same for the same wildcard in every rule). Words are found by
 * the literal prefix; `deploy*` needs nothing more, `?` patterns and stems also test each word.
 */
export function wildcardId(node: WildcardNode, vocabulary: Vocabulary): number {
  const prefix = wildcardPrefix(node.pattern);
  if (!node.stem && prefix !== undefined && /^[^*?]+\*$/.test(node.pattern)) return vocabulary.addWildcard(node.pattern, prefix, undefined);
  const key = node.stem ? `${node.pattern} ~${node.stem.lang}:${node.stem.stem}` : node.pattern;
  return vocabulary.addWildcard(key, prefix, () => (node.stem ? stemTest(node.stem.lang, node.stem.stem) : wildcardTest(node.pattern)));
}

function regexOf(source: string): Pattern {
  const re = compileRegex(source);
  if ('error' in re) throw new Error(`regex /${source}/ was not validated at parse time`);
  return re;
}

/** `~войска`: the word's stem (the vocabulary asks once per distinct word). */
function stemTest(lang: string, stem: string): (token: string) => boolean {
  const stemmer = stemmerFor(lang);
  if (!stemmer) throw new Error(`no stemmer for ${lang}: the parser checked this`);
  return (token) => stemmer.stem(token) === stem;
}

const LETTER = '[\\p{L}\\p{N}\\p{M}]';

/** `deploy*` is a prefix test; `?` (one letter or digit) needs a small, linear, anchored RegExp. */
function wildcardTest(pattern: string): (token: string) => boolean {
  if (!pattern.includes('?')) {
    const prefix = pattern.slice(0, -1);
    return (token) => token.startsWith(prefix);
  }
  const body = [...pattern]
    .map((ch) => (ch === '?' ? LETTER : ch === '*' ? `${LETTER}*` : ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${body}$`, 'u');
  if (pattern.includes('*')) return (token) => re.test(token);
  // Without '*' the length is nearly fixed (a '?' letter may take two UTF-16 units): most
  // words are rejected without running the RegExp.
  const min = pattern.length;
  const max = min + pattern.split('?').length - 1;
  return (token) => token.length >= min && token.length <= max && re.test(token);
}
