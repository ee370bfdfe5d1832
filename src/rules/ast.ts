import type { ArticleField } from './rule-set.js';

/** Fields whose text is split into words; `default` means title + summary + content. */
export type TextField = Exclude<ArticleField, 'source' | 'lang'>;
export type TextScope = TextField | 'default';
/** Fields compared as whole values (feed id or host; language tag), never split into words. */
export type KeywordField = 'source' | 'lang';

export const QUERY_FIELDS: readonly ArticleField[] = ['title', 'summary', 'content', 'author', 'category', 'source', 'link', 'lang'];

export const DEFAULT_FIELDS: readonly TextField[] = ['title', 'summary', 'content'];

/** One normalised word (see tokenize.ts). */
export interface TermNode {
  kind: 'term';
  field: TextScope;
  word: string;
}

/** Normalised words that must follow each other. */
export interface PhraseNode {
  kind: 'phrase';
  field: TextScope;
  words: string[];
}

/**
 * A normalised word with `*` (only at the end) and/or `?` (exactly one letter); or, with `stem`, every
 * word whose Snowball stem is `stem.stem` (`~войска`), looked up by the prefix in `pattern`.
 */
export interface WildcardNode {
  kind: 'wildcard';
  field: TextScope;
  pattern: string;
  stem?: { lang: string; word: string; stem: string };
}

/** An RE2 pattern matched against the raw field text, case-insensitive. */
export interface RegexNode {
  kind: 'regex';
  field: TextScope | KeywordField;
  source: string;
}

/** `source:` (feed id or link host, parent domains included) or `lang:` (tag or its prefix). */
export interface KeywordNode {
  kind: 'keyword';
  field: KeywordField;
  value: string;
}

interface AndNode {
  kind: 'and';
  children: QueryNode[];
}

interface OrNode {
  kind: 'or';
  children: QueryNode[];
}

interface NotNode {
  kind: 'not';
  child: QueryNode;
}

/** Proximity: at most `distance` words apart; `ordered` means left must come first. */
interface NearNode {
  kind: 'near';
  left: QueryNode;
  right: QueryNode;
  distance: number;
  ordered: boolean;
}

export type LeafNode = TermNode | PhraseNode | WildcardNode | RegexNode | KeywordNode;
export type QueryNode = LeafNode | AndNode | OrNode | NotNode | NearNode;

export function isLeaf(node: QueryNode): node is LeafNode {
  return node.kind === 'term' || node.kind === 'phrase' || node.kind === 'wildcard' || node.kind === 'regex' || node.kind === 'keyword';
}
