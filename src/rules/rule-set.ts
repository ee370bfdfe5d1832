import type { Article } from '../articles/article.js';

/**
 * The contract between the rule engine and the rest of newswatch. Workers and CLI only see
 * `compileRules` and `RuleSet`, so the engine can change without touching them.
 */

/** Fields a query can name; `source` is the feed id or the article link's host. */
export type ArticleField = 'title' | 'summary' | 'content' | 'author' | 'category' | 'source' | 'link' | 'lang';

export interface RuleDefinition {
  id: string;
  name: string;
  query: string;
  /** A query that vetoes a match. */
  exclude?: string;
  /** Only articles from these feed ids (empty or absent: all feeds). */
  feeds?: string[];
  /** Only articles from feeds carrying one of these tags. */
  tags?: string[];
  /** Ignore articles published longer ago than this (milliseconds). */
  maxAgeMs?: number;
  /** Match every term in this language's script by its Snowball stem (`ru`, `en`, ...). */
  stem?: string;
}

export interface MatchContext {
  /** Tags of the feed the article came from. */
  feedTags: readonly string[];
  /** Epoch milliseconds used for max_age. */
  now: number;
  /**
   * Called when evaluating one rule throws. That rule is skipped for this article; every other
   * rule is still matched. The caller logs (once: `count` is 1 the first time) and counts.
   */
  onRuleError?: (failure: RuleFailure) => void;
}

export interface RuleFailure {
  ruleId: string;
  error: unknown;
  /** How many times this rule has failed in this rule set, this time included. */
  count: number;
}

export interface MatchedTerm {
  /** The query term as written (`troops`, `"north korea"`, `deploy*`, `/re/`). */
  term: string;
  field: ArticleField;
  /** Word positions of the hits within that field. */
  positions: number[];
  /** The words of the article that matched, as they appear there. */
  words: string[];
}

export interface RuleMatch {
  ruleId: string;
  /** Distinct matched terms, in query order, for payloads. */
  matched: string[];
  terms: MatchedTerm[];
  /** About 30 words around the best hit, matched words marked with «». */
  snippet: string;
}

export interface RuleError {
  ruleId: string;
  /** 'query' or 'exclude'. */
  field: 'query' | 'exclude';
  /** 1-based column in the query string. */
  column: number;
  /** What went wrong and what was expected, e.g. "expected ')' to close '(' at column 14". */
  message: string;
  /** The query line and a caret under the column, ready to print. */
  display: string;
}

/** A rule that matched an article. */
export interface RuleHit {
  ruleId: string;
  /**
   * Why it matched (terms, positions, snippet). Built on first call, not during matching: only
   * matches that alert or are shown need it. Can be called after other articles were matched.
   */
  explain(): RuleMatch;
}

export interface RuleSet {
  readonly size: number;
  match(article: Article, ctx: MatchContext): RuleHit[];
}

export interface CompileResult {
  ruleSet: RuleSet;
  errors: RuleError[];
}
