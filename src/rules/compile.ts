import type { Article } from '../articles/article.js';
import { analyzeArticle, type ArticleDoc } from './document.js';
import { evaluate } from './evaluate.js';
import { explainMatch } from './explain.js';
import { parseQuery, type QueryError } from './parser.js';
import { compileMatcher, type Matcher } from './matcher.js';
import { PresearchIndex } from './presearch.js';
import { Vocabulary } from './vocabulary.js';
import type { CompileResult, MatchContext, RuleDefinition, RuleError, RuleHit, RuleMatch, RuleSet } from './rule-set.js';

export interface CompiledRule {
  id: string;
  query: Matcher;
  exclude?: Matcher;
  feeds?: ReadonlySet<string>;
  tags?: readonly string[];
  maxAgeMs?: number;
}

export interface CompileOptions {
  /**
   * false evaluates every rule on every article (the direct evaluator the property tests compare
   * the index against). Default true.
   */
  presearch?: boolean;
  /** Named term sets for `@name` in queries, flattened to their members. */
  termSets?: ReadonlyMap<string, readonly string[]>;
}

/**
 * The query with a caret under `column` (and the column spelled out, for logs that lose the
 * alignment); line breaks and tabs become spaces so the caret lines up.
 */
export function caretDisplay(query: string, column: number): string {
  return `${query.replace(/[\r\n\t]/g, ' ')}\n${' '.repeat(Math.max(0, column - 1))}^ column ${column}`;
}

function toRuleError(ruleId: string, field: 'query' | 'exclude', query: string, error: QueryError): RuleError {
  return { ruleId, field, column: error.column, message: error.message, display: caretDisplay(query, error.column) };
}

/** Collects compiled rules one definition at a time, then builds the index once. */
class RuleSetBuilder {
  private readonly errors: RuleError[] = [];
  private readonly rules: CompiledRule[] = [];
  private readonly vocabulary = new Vocabulary();

  constructor(private readonly termSets: CompileOptions['termSets']) {}

  add(def: RuleDefinition): void {
    const parseOptions = { termSets: this.termSets, stem: def.stem };
    const query = parseQuery(def.query ?? '', parseOptions);
    const exclude = def.exclude === undefined ? undefined : parseQuery(def.exclude, parseOptions);
    if (!query.ok) this.errors.push(...query.errors.map((e) => toRuleError(def.id, 'query', def.query ?? '', e)));
    if (exclude && !exclude.ok) {
      this.errors.push(...exclude.errors.map((e) => toRuleError(def.id, 'exclude', def.exclude ?? '', e)));
    }
    if (!query.ok || (exclude && !exclude.ok)) return;
    // Optional parts set one by one: spreading a literal per part costs more than parsing the query.
    const rule: CompiledRule = { id: def.id, query: compileMatcher(query.ast, this.vocabulary) };
    if (exclude) rule.exclude = compileMatcher(exclude.ast, this.vocabulary);
    if (def.feeds && def.feeds.length > 0) rule.feeds = new Set(def.feeds);
    if (def.tags && def.tags.length > 0) rule.tags = def.tags;
    if (def.maxAgeMs !== undefined) rule.maxAgeMs = def.maxAgeMs;
    this.rules.push(rule);
  }

  build(options: CompileOptions): CompileResult {
    const index =
      options.presearch === false
        ? undefined
        : new PresearchIndex(
            this.rules.map((rule) => rule.query),
            this.vocabulary,
          );
    return { ruleSet: new CompiledRuleSet(this.rules, this.vocabulary, index), errors: this.errors };
  }
}

/** Parses every rule; bad rules are reported and left out, good ones compiled into one rule set. */
export function compileRules(defs: RuleDefinition[], options: CompileOptions = {}): CompileResult {
  const builder = new RuleSetBuilder(options.termSets);
  for (const def of defs) builder.add(def);
  return builder.build(options);
}

/**
 * The same as compileRules, yielding to the event loop every `sliceSize` rules: 100,000 rules take
 * seconds to compile, and a hot reload must not stall matching or queue lock renewals meanwhile.
 * Swap the new rule set in when the promise resolves.
 */
export async function compileRulesInSlices(
  defs: RuleDefinition[],
  options: CompileOptions & { sliceSize?: number } = {},
): Promise<CompileResult> {
  const sliceSize = options.sliceSize ?? 1000;
  const builder = new RuleSetBuilder(options.termSets);
  for (let i = 0; i < defs.length; i++) {
    builder.add(defs[i] as RuleDefinition);
    if ((i + 1) % sliceSize === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return builder.build(options);
}

/** Feed, tag and age limits: cheap checks done before any query is evaluated. */
function passesFilters(rule: CompiledRule, article: Article, doc: ArticleDoc, ctx: MatchContext): boolean {
  if (rule.feeds && !rule.feeds.has(article.feedId)) return false;
  if (rule.tags && !rule.tags.some((tag) => ctx.feedTags.includes(tag))) return false;
  // An unreadable date is the first-seen time upstream, i.e. new: never reject on it.
  if (rule.maxAgeMs !== undefined && doc.publishedMs < ctx.now - rule.maxAgeMs) return false;
  return true;
}

/**
 * Immutable once built: a hot reload compiles a new set and swaps the reference, so matching
 * never sees a half-built index.
 */
export class CompiledRuleSet implements RuleSet {
  /** Per rule id, how many times evaluating it has thrown. */
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly rules: readonly CompiledRule[],
    private readonly vocabulary: Vocabulary,
    /** Absent: every rule is evaluated on every article. */
    private readonly index: PresearchIndex | undefined,
  ) {}

  get size(): number {
    return this.rules.length;
  }

  /** How many rules are evaluated on every article because nothing in them can be looked up. */
  get alwaysEvaluated(): number {
    return this.index ? this.index.alwaysEvaluated : this.rules.length;
  }

  /** How many rules the presearch leaves to evaluate on this article (for benchmarks). */
  candidateCount(article: Article): number {
    return this.index ? this.index.candidates(analyzeArticle(article, this.vocabulary)).length : this.rules.length;
  }

  match(article: Article, ctx: MatchContext): RuleHit[] {
    const doc = analyzeArticle(article, this.vocabulary);
    const hits: RuleHit[] = [];
    const candidates = this.index ? this.index.candidates(doc) : this.rules.keys();
    for (const i of candidates) {
      const rule = this.rules[i] as CompiledRule;
      // One rule that throws (a bug, an exhausted stack) must not stop every other rule from matching.
      try {
        if (!passesFilters(rule, article, doc, ctx)) continue;
        if (!evaluate(rule.query, doc)) continue;
        if (rule.exclude && evaluate(rule.exclude, doc)) continue;
      } catch (error) {
        this.reportFailure(rule.id, error, ctx);
        continue;
      }
      let explained: RuleMatch | undefined;
      hits.push({ ruleId: rule.id, explain: () => (explained ??= this.explain(rule, article, doc, ctx)) });
    }
    return hits;
  }

  private explain(rule: CompiledRule, article: Article, doc: ArticleDoc, ctx: MatchContext): RuleMatch {
    try {
      // Which words an article holds is kept in the shared vocabulary for the last article matched.
      const current = this.vocabulary.isCurrent(doc.analysis) ? doc : analyzeArticle(article, this.vocabulary);
      return explainMatch(rule.id, rule.query, current);
    } catch (error) {
      this.reportFailure(rule.id, error, ctx);
      return { ruleId: rule.id, matched: [], terms: [], snippet: '' };
    }
  }

  private reportFailure(ruleId: string, error: unknown, ctx: MatchContext): void {
    const count = (this.failures.get(ruleId) ?? 0) + 1;
    this.failures.set(ruleId, count);
    ctx.onRuleError?.({ ruleId, error, count });
  }
}
