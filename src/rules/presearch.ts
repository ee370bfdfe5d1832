import type { QueryNode } from './ast.js';
import type { ArticleDoc } from './document.js';
import { wildcardPrefix } from './matcher.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * The presearcher: from each rule's query, a set of keys at least one of which must occur in any
 * article the rule matches. Articles look up their own words, so only rules with a key present
 * are evaluated, and the cost per article follows its length, not the number of rules.
 */
export type RequiredKey =
  | { kind: 'term'; word: string }
  | { kind: 'prefix'; prefix: string }
  | { kind: 'keyword'; field: 'source' | 'lang'; value: string };

/** Alternatives: a match implies one of these keys occurs. `null`: nothing is required. */
type Required = RequiredKey[] | null;

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

function cost(required: RequiredKey[]): number {
  return required.reduce((sum, key) => sum + keyCost(key), 0);
}

export function requiredKeys(node: QueryNode): Required {
  switch (node.kind) {
    case 'term':
      return [{ kind: 'term', word: node.word }];
    case 'phrase': {
      // Every word of a phrase must occur: the rarest-looking one is enough.
      const words = [...node.words].sort((a, b) => b.length - a.length);
      return [{ kind: 'term', word: words[0] as string }];
    }
    case 'wildcard': {
      const prefix = wildcardPrefix(node.pattern);
      return prefix === undefined ? null : [{ kind: 'prefix', prefix }];
    }
    case 'keyword':
      return [{ kind: 'keyword', field: node.field, value: node.value }];
    case 'regex':
    case 'not':
      return null;
    case 'or': {
      const all: RequiredKey[] = [];
      for (const child of node.children) {
        const keys = requiredKeys(child);
        if (keys === null) return null;
        all.push(...keys);
      }
      return all;
    }
    case 'and':
      return cheapest(node.children.map(requiredKeys));
    case 'near':
      return cheapest([requiredKeys(node.left), requiredKeys(node.right)]);
  }
}

function cheapest(options: Required[]): Required {
  let best: Required = null;
  for (const option of options) if (option !== null && (best === null || cost(option) < cost(best))) best = option;
  return best;
}

function keywordKey(field: 'source' | 'lang', value: string): string {
  return `${field}\u0000${value}`;
}

function append(list: number[], rule: number): void {
  if (list[list.length - 1] !== rule) list.push(rule);
}

export class PresearchIndex {
  /** Rules keyed by vocabulary id of a required word. */
  private readonly termRules: number[][] = [];
  private readonly keywords = new Map<string, number[]>();
  /** Rules with no required key (only NOT, only regex, short wildcards): always evaluated. */
  private readonly always: number[] = [];
  /** seen[rule] === stamp marks a rule already collected for the current article. */
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(queries: readonly QueryNode[], vocabulary: Vocabulary) {
    this.seen = new Uint32Array(queries.length);
    queries.forEach((query, rule) => {
      const keys = requiredKeys(query);
      if (keys === null) this.always.push(rule);
      else for (const key of keys) this.add(key, rule, vocabulary);
    });
  }

  get alwaysEvaluated(): number {
    return this.always.length;
  }

  private add(key: RequiredKey, rule: number, vocabulary: Vocabulary): void {
    if (key.kind === 'term') {
      append((this.termRules[vocabulary.add(key.word)] ??= []), rule);
    } else if (key.kind === 'keyword') {
      const k = keywordKey(key.field, key.value);
      const list = this.keywords.get(k);
      if (list) append(list, rule);
      else this.keywords.set(k, [rule]);
    } else {
      append((this.termRules[vocabulary.addPrefix(key.prefix)] ??= []), rule);
    }
  }

  /** Indexes (ascending, i.e. in definition order) of the rules worth evaluating on `doc`. */
  candidates(doc: ArticleDoc): number[] {
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const out: number[] = [];
    const { seen, stamp } = this;
    const collect = (rules: number[] | undefined): void => {
      if (!rules) return;
      for (const rule of rules) {
        if (seen[rule] !== stamp) {
          seen[rule] = stamp;
          out.push(rule);
        }
      }
    };
    // Words and wildcard prefixes alike: the article noted both while being tokenised.
    for (const id of doc.wordIds) collect(this.termRules[id]);
    for (const value of doc.sourceKeys) collect(this.keywords.get(keywordKey('source', value)));
    for (const value of doc.langKeys) collect(this.keywords.get(keywordKey('lang', value)));
    collect(this.always);
    return out.sort((a, b) => a - b);
  }
}
