import type { QueryNode } from './ast.js';
import type { ArticleDoc } from './document.js';
import { wildcardPrefix } from './matcher.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * The presearcher. From each rule's query it derives clauses: sets of keys such that, if the rule
 * matches an article, at least one key of every clause occurs in it. A rule is indexed under the
 * keys of its (up to) two most selective clauses and is evaluated only when the article hits both,
 * so `(troops OR soldiers) AND (Russia OR Kursk)` is not evaluated on every article naming Russia.
 * Articles look up their own words, so the cost per article follows its length, not the rule count.
 */
export type RequiredKey =
  | { kind: 'term'; word: string }
  | { kind: 'prefix'; prefix: string }
  | { kind: 'keyword'; field: 'source' | 'lang'; value: string };

/** One of these keys must occur. */
type Clause = RequiredKey[];

/** Rough guess of how often a key occurs in articles: longer words are rarer. */
function keyCost(key: RequiredKey): number {
  switch (key.kind) {
    case 'term':
      return 8 / Math.min(Math.max(key.word.length, 1), 8);
    case 'prefix':
      return 16 / Math.min(key.prefix.length, 8);
    case 'keyword':
      // Most articles share a language; a source is usually specific.
      return key.field === 'lang' ? 50 : 1;
  }
}

function cost(clause: Clause): number {
  return clause.reduce((sum, key) => sum + keyCost(key), 0);
}

/** Clauses that all hold whenever `node` matches; empty when nothing can be required (NOT, regex). */
export function requiredClauses(node: QueryNode): Clause[] {
  switch (node.kind) {
    case 'term':
      return [[{ kind: 'term', word: node.word }]];
    case 'phrase':
      return [...new Set(node.words)].map((word) => [{ kind: 'term', word }]);
    case 'wildcard': {
      const prefix = wildcardPrefix(node.pattern);
      return prefix === undefined ? [] : [[{ kind: 'prefix', prefix }]];
    }
    case 'keyword':
      return [[{ kind: 'keyword', field: node.field, value: node.value }]];
    case 'regex':
    case 'not':
      return [];
    case 'and':
      return node.children.flatMap(requiredClauses);
    case 'near':
      return [...requiredClauses(node.left), ...requiredClauses(node.right)];
    case 'or': {
      // One alternative must match: the union of each alternative's best clause.
      const union: Clause = [];
      for (const child of node.children) {
        const best = cheapest(requiredClauses(child), 1)[0];
        if (!best) return [];
        union.push(...best);
      }
      return [union];
    }
  }
}

function cheapest(clauses: Clause[], n: number): Clause[] {
  return clauses
    .map((clause) => ({ clause, cost: cost(clause) }))
    .sort((a, b) => a.cost - b.cost)
    .slice(0, n)
    .map((c) => c.clause);
}

function keywordKey(field: 'source' | 'lang', value: string): string {
  return `${field}\u0000${value}`;
}

export class PresearchIndex {
  /** Per vocabulary id (word or prefix): entries `rule * 2 + clause` (clause 0 or 1). */
  private readonly termEntries: number[][] = [];
  private readonly keywordEntries = new Map<string, number[]>();
  /** Rules with no required key (only NOT, only regex, short wildcards): always evaluated. */
  private readonly always: number[] = [];
  /** Clause bits a rule needs: 1 (one clause) or 3 (two). */
  private readonly needed: Uint8Array;
  /** Per rule, stamped per article: which clauses the article has hit so far. */
  private readonly seen: Uint32Array;
  private readonly hits: Uint8Array;
  private stamp = 0;

  constructor(queries: readonly QueryNode[], vocabulary: Vocabulary) {
    this.needed = new Uint8Array(queries.length);
    this.seen = new Uint32Array(queries.length);
    this.hits = new Uint8Array(queries.length);
    queries.forEach((query, rule) => {
      const clauses = cheapest(requiredClauses(query), 2);
      if (clauses.length === 0) this.always.push(rule);
      this.needed[rule] = clauses.length === 2 ? 3 : 1;
      clauses.forEach((clause, c) => {
        const entry = rule * 2 + c;
        for (const key of new Set(clause.map((k) => JSON.stringify(k)))) this.add(JSON.parse(key) as RequiredKey, entry, vocabulary);
      });
    });
  }

  get alwaysEvaluated(): number {
    return this.always.length;
  }

  private add(key: RequiredKey, entry: number, vocabulary: Vocabulary): void {
    if (key.kind === 'keyword') {
      const k = keywordKey(key.field, key.value);
      const list = this.keywordEntries.get(k);
      if (list) list.push(entry);
      else this.keywordEntries.set(k, [entry]);
      return;
    }
    const id = key.kind === 'term' ? vocabulary.add(key.word) : vocabulary.addPrefix(key.prefix);
    (this.termEntries[id] ??= []).push(entry);
  }

  /** Indexes (ascending, i.e. in definition order) of the rules worth evaluating on `doc`. */
  candidates(doc: ArticleDoc): number[] {
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const touched: number[] = [];
    // Words and wildcard prefixes alike: the article noted both while being tokenised.
    for (const id of doc.wordIds) {
      const entries = this.termEntries[id];
      if (entries) this.collect(entries, touched);
    }
    for (const value of doc.sourceKeys) this.collect(this.keywordEntries.get(keywordKey('source', value)), touched);
    for (const value of doc.langKeys) this.collect(this.keywordEntries.get(keywordKey('lang', value)), touched);
    const out: number[] = [];
    for (const rule of touched) if (this.hits[rule] === this.needed[rule]) out.push(rule);
    for (const rule of this.always) out.push(rule);
    return out.sort((a, b) => a - b);
  }

  /** Marks the clause each entry stands for as hit; `touched` gets each rule once. */
  private collect(entries: number[] | undefined, touched: number[]): void {
    if (!entries) return;
    const { seen, hits, stamp } = this;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as number;
      const rule = entry >> 1;
      const bit = 1 << (entry & 1);
      if (seen[rule] !== stamp) {
        seen[rule] = stamp;
        hits[rule] = bit;
        touched.push(rule);
      } else {
        hits[rule] = (hits[rule] as number) | bit;
      }
    }
  }
}
