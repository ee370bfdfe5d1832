import type { QueryNode, TextScope, WildcardNode } from './ast.js';
import type { ArticleDoc } from './document.js';
import { fieldsOfScope, wildcardId, wildcardPrefix } from './matcher.js';
import { FIELD_BITS, fieldMask, type Vocabulary } from './vocabulary.js';

/**
 * The presearcher. From each rule's query it derives clauses: sets of keys such that, if the rule
 * matches an article, at least one key of every clause occurs in it. A rule is indexed under the
 * keys of its (up to) two most selective clauses and is evaluated only when the article hits both,
 * so `(troops OR soldiers) AND (Russia OR Kursk)` is not evaluated on every article naming Russia.
 * Articles look up their own words, so the cost per article follows its length, not the rule count.
 * Word and wildcard keys carry the fields they must occur in: a `title:` term is not a candidate
 * because the word occurs in the body.
 */
type RequiredKey =
  | { kind: 'term'; word: string; fields: number }
  | { kind: 'wildcard'; wildcard: WildcardNode; fields: number }
  | { kind: 'keyword'; field: 'source' | 'lang'; value: string };

/** One of these keys must occur. */
type Clause = RequiredKey[];

/** Fields holding most of an article's words: a key confined to others (title, author...) is rarer. */
const BODY_BITS = FIELD_BITS.summary | FIELD_BITS.content;

/** How often a key is guessed to occur in articles, relative to other keys: lower is rarer. */
type KeyCost = (key: RequiredKey) => number;

/**
 * Longer words are rarer, and so are title-only ones. A wildcard is as common as the words it
 * matches: the rule set's own words starting with its prefix stand for those (`ka*` before
 * `kalinin*`), where the length of the prefix alone said little.
 */
function keyCostIn(vocabulary: Vocabulary): KeyCost {
  return (key) => {
    switch (key.kind) {
      case 'term':
        return (8 / Math.min(Math.max(key.word.length, 1), 8)) * fieldShare(key.fields);
      case 'wildcard': {
        const prefix = wildcardPrefix(key.wildcard.pattern);
        // No prefix to look up: every new word is tested against it, and many may match.
        if (prefix === undefined) return 50 * fieldShare(key.fields);
        return (16 / Math.min(prefix.length, 8)) * (1 + vocabulary.wordsWithPrefix(prefix)) * fieldShare(key.fields);
      }
      case 'keyword':
        // Most articles share a language; a source is usually specific.
        return key.field === 'lang' ? 50 : 1;
    }
  };
}

function fieldShare(fields: number): number {
  return fields & BODY_BITS ? 1 : 0.2;
}

/** Clauses that all hold whenever `node` matches; empty when nothing can be required (NOT, regex). */
function requiredClauses(node: QueryNode, keyCost: KeyCost): Clause[] {
  switch (node.kind) {
    case 'term':
      return [[{ kind: 'term', word: node.word, fields: maskOf(node.field) }]];
    case 'phrase':
      return [...new Set(node.words)].map((word) => [{ kind: 'term', word, fields: maskOf(node.field) }]);
    case 'wildcard':
      return [[{ kind: 'wildcard', wildcard: node, fields: maskOf(node.field) }]];
    case 'keyword':
      return [[{ kind: 'keyword', field: node.field, value: node.value }]];
    case 'regex':
    case 'not':
      return [];
    case 'and':
      return node.children.flatMap((child) => requiredClauses(child, keyCost));
    case 'near':
      return [...requiredClauses(node.left, keyCost), ...requiredClauses(node.right, keyCost)];
    case 'or': {
      // One alternative must match: the union of each alternative's best clause.
      const union: Clause = [];
      for (const child of node.children) {
        const best = cheapest(requiredClauses(child, keyCost), 1, keyCost)[0];
        if (!best) return [];
        union.push(...best);
      }
      return [union];
    }
  }
}

function maskOf(scope: TextScope): number {
  return fieldMask(fieldsOfScope(scope));
}

function cheapest(clauses: Clause[], n: number, keyCost: KeyCost): Clause[] {
  return clauses
    .map((clause) => ({ clause, cost: clause.reduce((sum, key) => sum + keyCost(key), 0) }))
    .sort((a, b) => a.cost - b.cost)
    .slice(0, n)
    .map((c) => c.clause);
}

function keywordKey(field: 'source' | 'lang', value: string): string {
  return `${field}\u0000${value}`;
}

/** Field bits in the low bits of a posting (see PresearchIndex.postings). */
const FIELD_BITS_WIDTH = 6;
const ALL_FIELDS = (1 << FIELD_BITS_WIDTH) - 1;
/** Rules are numbered in postings with the bits left: 2^24, far above any rule set held in memory. */
const MAX_INDEXED_RULES = 2 ** 24;

export class PresearchIndex {
  /**
   * Per vocabulary id (word or wildcard), its postings are postings[postingStart[id] ..
   * postingStart[id + 1]): each `rule << 7 | clause << 6 | fields`, clause 0 or 1, fields the bits
   * of the fields the word must occur in for that clause. One flat array: an article looks up a few
   * hundred ids, and separate small arrays per id cost a cache miss each.
   */
  private readonly postingStart: Int32Array;
  private readonly postings: Int32Array;
  /** source: and lang: keys, with every field bit set (fields do not apply). */
  private readonly keywordPostings = new Map<string, number[]>();
  /** Rules with no required key (only NOT, only regex): always evaluated. */
  private readonly always: number[] = [];
  /** Clause bits a rule needs: 1 (one clause) or 3 (two). */
  private readonly needed: Uint8Array;
  /** Per rule, `stamp << 2 | clause bits hit`: which clauses this article (stamp) has hit so far. */
  private readonly state: Uint32Array;
  private stamp = 0;
  /** Reused per article: the candidates found, before sorting. */
  private found = new Int32Array(64);

  constructor(queries: readonly QueryNode[], vocabulary: Vocabulary) {
    if (queries.length > MAX_INDEXED_RULES) throw new Error(`at most ${MAX_INDEXED_RULES} rules can be indexed`);
    this.needed = new Uint8Array(queries.length);
    this.state = new Uint32Array(queries.length);
    const keyCost = keyCostIn(vocabulary);
    const lists: number[][] = [];
    queries.forEach((query, rule) => {
      const clauses = cheapest(requiredClauses(query, keyCost), 2, keyCost);
      if (clauses.length === 0) this.always.push(rule);
      this.needed[rule] = clauses.length === 2 ? 3 : 1;
      clauses.forEach((clause, c) => {
        for (const text of new Set(clause.map((k) => JSON.stringify(k)))) {
          const key = JSON.parse(text) as RequiredKey;
          if (key.kind === 'keyword') {
            const k = keywordKey(key.field, key.value);
            const list = this.keywordPostings.get(k) ?? [];
            this.keywordPostings.set(k, list);
            list.push((rule << 7) | (c << 6) | ALL_FIELDS);
          } else {
            const id = key.kind === 'term' ? vocabulary.add(key.word) : wildcardId(key.wildcard, vocabulary);
            (lists[id] ??= []).push((rule << 7) | (c << 6) | key.fields);
          }
        }
      });
    });
    this.postingStart = new Int32Array(vocabulary.size + 1);
    let total = 0;
    for (let id = 0; id < vocabulary.size; id++) {
      this.postingStart[id] = total;
      total += lists[id]?.length ?? 0;
    }
    this.postingStart[vocabulary.size] = total;
    this.postings = new Int32Array(total);
    lists.forEach((list, id) => this.postings.set(list, this.postingStart[id]));
  }

  get alwaysEvaluated(): number {
    return this.always.length;
  }

  /** Indexes (ascending, i.e. in definition order) of the rules worth evaluating on `doc`. */
  candidates(doc: ArticleDoc): Int32Array {
    this.stamp = (this.stamp + 1) & 0x3fffffff;
    if (this.stamp === 0) {
      this.state.fill(0);
      this.stamp = 1;
    }
    let found = 0;
    // Words and wildcards alike: the article noted both while being tokenised.
    const { vocabulary, wordIds } = doc;
    const { postingStart, postings } = this;
    for (let i = 0; i < wordIds.length; i++) {
      const id = wordIds[i] as number;
      const from = postingStart[id] as number;
      const to = postingStart[id + 1] as number;
      if (from !== to) found = this.collect(postings, from, to, vocabulary.fieldsHolding(id), found);
    }
    for (const value of doc.sourceKeys) found = this.collectKeyword(keywordKey('source', value), found);
    for (const value of doc.langKeys) found = this.collectKeyword(keywordKey('lang', value), found);
    for (const rule of this.always) found = this.push(rule, found);
    return this.found.slice(0, found).sort();
  }

  private collectKeyword(key: string, found: number): number {
    const list = this.keywordPostings.get(key);
    return list ? this.collect(list, 0, list.length, ALL_FIELDS, found) : found;
  }

  /**
   * Marks the clause each posting stands for as hit when the article holds its word in one of the
   * posting's fields; a rule becomes a candidate when its last needed clause is hit.
   */
  private collect(postings: ArrayLike<number>, from: number, to: number, held: number, found: number): number {
    const { state, needed } = this;
    const stamped = this.stamp << 2;
    for (let i = from; i < to; i++) {
      const posting = postings[i] as number;
      if ((posting & held) === 0) continue;
      const rule = posting >>> 7;
      const bit = 1 << ((posting >>> 6) & 1);
      const before = state[rule] as number;
      const had = (before & ~3) === stamped ? before & 3 : 0;
      const hits = had | bit;
      if (hits === had) continue;
      state[rule] = stamped | hits;
      if (hits === needed[rule]) found = this.push(rule, found);
    }
    return found;
  }

  private push(rule: number, found: number): number {
    if (found === this.found.length) {
      const grown = new Int32Array(found * 2);
      grown.set(this.found);
      this.found = grown;
    }
    this.found[found] = rule;
    return found + 1;
  }
}
