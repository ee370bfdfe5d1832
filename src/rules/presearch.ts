import type { ArticleDoc } from './document.js';
import { wildcardPrefix, type Matcher } from './matcher.js';
import { FIELD_BITS, type Vocabulary } from './vocabulary.js';

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
  /** A word or wildcard by vocabulary id, with the fields it must occur in. */
  { kind: 'id'; id: number; fields: number; cost: number } | { kind: 'keyword'; key: string; cost: number };

/** One of these keys must occur. */
type Clause = RequiredKey[];

/** Fields holding most of an article's words: a key confined to others (title, author...) is rarer. */
const BODY_BITS = FIELD_BITS.summary | FIELD_BITS.content;

/**
 * How often a key is guessed to occur in articles, relative to other keys: lower is rarer. Longer
 * words are rarer, and so are title-only ones. A wildcard is as common as the words it matches: the
 * rule set's own words starting with its prefix stand for those (`ka*` before `kalinin*`), where the
 * length of the prefix alone said little. Costs are worked out once per key as clauses are made.
 */
class KeyCosts {
  /** wordsWithPrefix per prefix: the same wildcards recur in many rules. */
  private readonly prefixWords = new Map<string, number>();

  constructor(private readonly vocabulary: Vocabulary) {}

  term(word: string, fields: number): number {
    return (8 / Math.min(Math.max(word.length, 1), 8)) * fieldShare(fields);
  }

  wildcard(pattern: string, fields: number): number {
    const prefix = wildcardPrefix(pattern);
    // No prefix to look up: every new word is tested against it, and many may match.
    if (prefix === undefined) return 50 * fieldShare(fields);
    let words = this.prefixWords.get(prefix);
    if (words === undefined) this.prefixWords.set(prefix, (words = this.vocabulary.wordsWithPrefix(prefix)));
    return (16 / Math.min(prefix.length, 8)) * (1 + words) * fieldShare(fields);
  }

  keyword(field: 'source' | 'lang'): number {
    // Most articles share a language; a source is usually specific.
    return field === 'lang' ? 50 : 1;
  }
}

function fieldShare(fields: number): number {
  return fields & BODY_BITS ? 1 : 0.2;
}

/**
 * Clauses that all hold whenever `m` matches; empty when nothing can be required (NOT, regex). Read
 * off the compiled query, whose words already carry their vocabulary ids and field masks.
 */
function requiredClauses(m: Matcher, costs: KeyCosts): Clause[] {
  const clauses: Clause[] = [];
  addRequiredClauses(m, costs, clauses);
  return clauses;
}

/** requiredClauses, appended to `into` in the same order: no list per node to flatten (AND, NEAR). */
function addRequiredClauses(m: Matcher, costs: KeyCosts, into: Clause[]): void {
  switch (m.kind) {
    case 'term':
    case 'wildcard':
      into.push([leafKey(m, costs)]);
      return;
    case 'phrase':
      m.ids.forEach((id, i) => {
        if (m.ids.indexOf(id) === i) into.push([{ kind: 'id', id, fields: m.mask, cost: costs.term(m.leaf.words[i] as string, m.mask) }]);
      });
      return;
    case 'keyword': {
      const { leaf } = m;
      if (leaf.kind !== 'regex') into.push([{ kind: 'keyword', key: keywordKey(leaf.field, leaf.value), cost: costs.keyword(leaf.field) }]);
      return;
    }
    case 'regex':
    case 'not':
      return;
    case 'and':
      for (const child of m.children) addRequiredClauses(child, costs, into);
      return;
    case 'near':
      addRequiredClauses(m.left, costs, into);
      addRequiredClauses(m.right, costs, into);
      return;
    case 'or': {
      // One alternative must match: the union of each alternative's best clause.
      const union: Clause = [];
      for (const child of m.children) {
        // Most alternatives are single words: their one key, without a clause list around it.
        if (child.kind === 'term' || child.kind === 'wildcard') {
          union.push(leafKey(child, costs));
          continue;
        }
        const best = cheapest(requiredClauses(child, costs), 1)[0];
        // An alternative that requires nothing: neither does the OR.
        if (!best) return;
        union.push(...best);
      }
      into.push(union);
      return;
    }
  }
}

function leafKey(m: Extract<Matcher, { kind: 'term' | 'wildcard' }>, costs: KeyCosts): RequiredKey {
  const cost = m.kind === 'term' ? costs.term(m.leaf.word, m.mask) : costs.wildcard(m.leaf.pattern, m.mask);
  return { kind: 'id', id: m.id, fields: m.mask, cost };
}

/**
 * The `n` (1 or 2) clauses of least total cost, cheapest first; of equal costs the earlier clause (as
 * a stable sort would give). Two scans instead of a sort: this runs for every rule and OR-group.
 */
function cheapest(clauses: Clause[], n: 1 | 2): Clause[] {
  if (clauses.length <= 1) return clauses;
  let best = -1;
  let bestCost = 0;
  let second = -1;
  let secondCost = 0;
  for (let i = 0; i < clauses.length; i++) {
    const cost = clauseCost(clauses[i] as Clause);
    if (best < 0 || cost < bestCost) {
      second = best;
      secondCost = bestCost;
      best = i;
      bestCost = cost;
    } else if (second < 0 || cost < secondCost) {
      second = i;
      secondCost = cost;
    }
  }
  const first = clauses[best] as Clause;
  return n === 1 ? [first] : [first, clauses[second] as Clause];
}

function clauseCost(clause: Clause): number {
  let sum = 0;
  for (const key of clause) sum += key.cost;
  return sum;
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

  /** `queries` are the rules' compiled queries, in rule order; every id they hold is in `vocabulary`. */
  constructor(queries: readonly Matcher[], vocabulary: Vocabulary) {
    if (queries.length > MAX_INDEXED_RULES) throw new Error(`at most ${MAX_INDEXED_RULES} rules can be indexed`);
    this.needed = new Uint8Array(queries.length);
    this.state = new Uint32Array(queries.length);
    const costs = new KeyCosts(vocabulary);
    // Every (id, posting) pair in rule order, then laid out by id: a list per id would cost an
    // array each, and filling a sparse array of lists out of order makes it a slow dictionary.
    const pairs = new PostingPairs();
    const seen: Array<number | string> = [];
    queries.forEach((query, rule) => {
      const clauses = cheapest(requiredClauses(query, costs), 2);
      if (clauses.length === 0) this.always.push(rule);
      this.needed[rule] = clauses.length === 2 ? 3 : 1;
      clauses.forEach((clause, c) => {
        seen.length = 0;
        for (const key of clause) {
          // The same key twice in a clause (`a OR a`) is posted once.
          const name = key.kind === 'id' ? key.id * 64 + key.fields : key.key;
          if (seen.includes(name)) continue;
          seen.push(name);
          if (key.kind === 'keyword') {
            const list = this.keywordPostings.get(key.key) ?? [];
            this.keywordPostings.set(key.key, list);
            list.push((rule << 7) | (c << 6) | ALL_FIELDS);
          } else {
            pairs.add(key.id, (rule << 7) | (c << 6) | key.fields);
          }
        }
      });
    });
    ({ starts: this.postingStart, postings: this.postings } = pairs.byId(vocabulary.size));
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

/** (id, posting) pairs, appended in order, then grouped by id keeping that order (a counting sort). */
class PostingPairs {
  private ids = new Int32Array(1024);
  private postings = new Int32Array(1024);
  private count = 0;

  add(id: number, posting: number): void {
    if (this.count === this.ids.length) {
      this.ids = grown(this.ids);
      this.postings = grown(this.postings);
    }
    this.ids[this.count] = id;
    this.postings[this.count++] = posting;
  }

  /** Postings of id i at postings[starts[i] .. starts[i + 1]), for ids below `idCount`. */
  byId(idCount: number): { starts: Int32Array; postings: Int32Array } {
    const starts = new Int32Array(idCount + 1);
    const { ids, count } = this;
    for (let i = 0; i < count; i++) {
      const id = ids[i] as number;
      starts[id + 1] = (starts[id + 1] as number) + 1;
    }
    for (let id = 0; id < idCount; id++) starts[id + 1] = (starts[id + 1] as number) + (starts[id] as number);
    const next = starts.slice(0, idCount);
    const postings = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const id = ids[i] as number;
      postings[next[id] as number] = this.postings[i] as number;
      next[id] = (next[id] as number) + 1;
    }
    return { starts, postings };
  }
}

function grown(array: Int32Array): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
