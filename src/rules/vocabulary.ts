import type { TextField } from './ast.js';
import { koreanBases } from './korean.js';
import { hashWord, WordTable } from './word-table.js';

/** One bit per text field, so "which fields hold this word" is a single number. */
export const FIELD_BITS: Readonly<Record<TextField, number>> = {
  title: 1,
  summary: 2,
  content: 4,
  author: 8,
  category: 16,
  link: 32,
};

export function fieldMask(fields: readonly TextField[]): number {
  return fields.reduce((mask, f) => mask | FIELD_BITS[f], 0);
}

/** A wildcard whose words need a test beyond their prefix (`ab?d*`, `~войска`). */
interface TestedWildcard {
  id: number;
  test: (word: string) => boolean;
}

/** Wildcard prefixes, keyed by UTF-16 code unit so walking a word creates no strings. */
interface PrefixNode {
  children: Map<number, PrefixNode>;
  /** Vocabulary id of the plain wildcard `prefix*` ending here, else -1. */
  id: number;
  /** Wildcards with this literal prefix whose words must also pass a test. */
  tested: TestedWildcard[];
  /** How many rule words start with this prefix (see wordsWithPrefix). */
  ruleWords: number;
}

const NO_WILDCARDS: readonly number[] = Object.freeze([]);

/** The offset of the empty wildcard list in the packed lists. */
export const NO_WILDCARD_LIST = 0;

/** Article words remembered with their (empty or not) wildcard list, so each is examined once. */
const WORD_CACHE_LIMIT = 200_000;

/** Article numbers use the 26 bits above the 6 field bits, then wrap. */
const STAMP_MASK = 2 ** 26 - 1;

/** What lookup returns for a word the full cache could not take: its facts are held apart until the next lookup. */
const UNCACHED = -1;

/**
 * Every word and wildcard the rules mention, numbered. An article's words are looked up here once
 * each; one lookup says whether a rule names the word and which wildcards it matches. Words no rule
 * names are cached too (up to a limit) so their wildcards are found once, not per article. The
 * table is keyed by a hash the article scanner computes while reading a word, so an ASCII word is
 * found without making a string of it.
 *
 * It also keeps, per id, the fields it occurs in for the article being matched. That scratch
 * state is stamped per article, so nothing is cleared or allocated per article; it is valid until
 * the next `startArticle`, which is fine because matching one article is synchronous. Once
 * matching has started the vocabulary is frozen: the cached wildcard lists must not go stale.
 */
export class Vocabulary {
  /** Rule words and cached article words; the value of each is its index in wildcardLists, -1 until first seen. */
  private readonly table = new WordTable();
  /**
   * The lists of wildcards words match, packed: at a list's offset its length, then the wildcard ids;
   * offset 0 is the empty list. One typed array, not an array per word: an article reads the lists of
   * hundreds of words, and an object per list cost a cache miss or two each (measured on the rules
   * benchmark). Lists of words the full cache could not take go after `listsUsed`, for one article.
   */
  private lists = new Int32Array(1024);
  private listsUsed = 1;
  private uncachedListsUsed = 1;
  private readonly ruleWordList: string[] = [];
  private readonly prefixes: PrefixNode = newPrefixNode();
  /** Wildcards with no literal prefix to look up (`?ussia`): tested on every new word. */
  private readonly unanchored: TestedWildcard[] = [];
  private readonly wildcardIds = new Map<string, number>();
  /** Whether the prefix nodes' ruleWords are up to date (counted when first needed, wordsWithPrefix). */
  private ruleWordsCounted = false;
  private wordCount = 0;
  private wildcardCount = 0;
  private frozen = false;
  /** Per id, `stamp << 6 | field bits`: the fields holding it in the article numbered `stamp`. */
  private presence = new Uint32Array(0);
  private stamp = 0;
  private uncachedId = -1;
  private uncachedList = NO_WILDCARD_LIST;

  /** `wordCacheLimit`: how many words no rule names are cached (tests make it small). */
  constructor(private readonly wordCacheLimit = WORD_CACHE_LIMIT) {}

  get size(): number {
    return this.wordCount + this.wildcardCount;
  }

  add(word: string): number {
    const hash = hashWord(word);
    const slot = this.table.find(word, hash);
    if (slot >= 0) return this.table.id(slot);
    this.assertOpen();
    const id = this.size;
    this.table.insert(word, hash, id, -1);
    this.ruleWordList.push(word);
    this.ruleWordsCounted = false;
    this.wordCount++;
    return id;
  }

  /**
   * A wildcard gets an id like a word: articles note it where a word matches it. `key` names it
   * (the same wildcard in many rules gets one id); `prefix` is its literal start, if any; the test
   * `makeTest` makes, if given, must also hold (for `deploy*`, the prefix alone decides).
   */
  addWildcard(key: string, prefix: string | undefined, makeTest: (() => (word: string) => boolean) | undefined): number {
    const known = this.wildcardIds.get(key);
    if (known !== undefined) return known;
    this.assertOpen();
    const test = makeTest?.();
    const id = this.size;
    this.wildcardCount++;
    this.wildcardIds.set(key, id);
    if (prefix === undefined) {
      if (!test) throw new Error(`wildcard ${key} has neither a prefix nor a test`);
      this.unanchored.push({ id, test });
    } else {
      const node = this.prefixNode(prefix);
      this.ruleWordsCounted = false;
      if (test) node.tested.push({ id, test });
      else node.id = id;
    }
    return id;
  }

  /**
   * How many rule words start with `prefix`, the literal prefix of a wildcard added here: how broad
   * the wildcard is, judged by the rule set itself.
   */
  wordsWithPrefix(prefix: string): number {
    if (!this.ruleWordsCounted) this.countRuleWords();
    let node: PrefixNode | undefined = this.prefixes;
    for (let i = 0; node && i < prefix.length; i++) node = node.children.get(prefix.charCodeAt(i));
    if (!node) throw new Error(`no wildcard was added with the prefix '${prefix}'`);
    return node.ruleWords;
  }

  /** Every rule word walks the wildcard prefixes it starts with, counting itself in each: no sorting. */
  private countRuleWords(): void {
    const reset = (node: PrefixNode): void => {
      node.ruleWords = 0;
      for (const child of node.children.values()) reset(child);
    };
    reset(this.prefixes);
    for (const word of this.ruleWordList) {
      let node: PrefixNode | undefined = this.prefixes;
      for (let i = 0; i < word.length; i++) {
        node = node.children.get(word.charCodeAt(i));
        if (!node) break;
        node.ruleWords++;
      }
    }
    this.ruleWordsCounted = true;
  }

  private prefixNode(prefix: string): PrefixNode {
    let node = this.prefixes;
    for (let i = 0; i < prefix.length; i++) {
      const code = prefix.charCodeAt(i);
      let child = node.children.get(code);
      if (!child) node.children.set(code, (child = newPrefixNode()));
      node = child;
    }
    return node;
  }

  private assertOpen(): void {
    if (this.frozen) throw new Error('vocabulary changed after matching started: compile a new rule set instead');
  }

  /** The word's facts (see idAt, wildcardListAt), until the next lookup; `word` is normalised. */
  lookup(word: string): number {
    const hash = hashWord(word);
    const slot = this.table.find(word, hash);
    return slot >= 0 ? this.withWildcards(slot) : this.remember(word, hash);
  }

  /**
   * The same for the word text[start, end) of ASCII letters and digits, read in lower case; `hash`
   * is hashWord of its lower case. Makes no string unless the word is new.
   */
  lookupAscii(text: string, start: number, end: number, hash: number): number {
    const slot = this.table.findAscii(text, start, end, hash);
    return slot >= 0 ? this.withWildcards(slot) : this.remember(text.slice(start, end).toLowerCase(), hash);
  }

  /** The id of a looked-up word; -1 when no rule names it. */
  idAt(found: number): number {
    return found === UNCACHED ? this.uncachedId : this.table.id(found);
  }

  /**
   * The list of the wildcards a looked-up word matches: an offset for noteWildcards and
   * wildcardListHas, NO_WILDCARD_LIST when it matches none. Valid for the current article.
   */
  wildcardListAt(found: number): number {
    return found === UNCACHED ? this.uncachedList : this.table.value(found);
  }

  /** Records that the wildcards of `list` occur in a field; appends to `firstSeen` those new to this article. */
  noteWildcards(list: number, fieldBit: number, firstSeen: number[]): void {
    const { lists } = this;
    const end = list + 1 + (lists[list] as number);
    for (let i = list + 1; i < end; i++) {
      const id = lists[i] as number;
      if (this.note(id, fieldBit)) firstSeen.push(id);
    }
  }

  /** Whether wildcard `id` is in `list`. */
  wildcardListHas(list: number, id: number): boolean {
    const { lists } = this;
    const end = list + 1 + (lists[list] as number);
    for (let i = list + 1; i < end; i++) if (lists[i] === id) return true;
    return false;
  }

  /** Rule words get their wildcards when first seen in an article, once the rules are all known. */
  private withWildcards(slot: number): number {
    if (this.table.value(slot) < 0) this.table.setValue(slot, this.packList(this.wildcardsOf(this.table.word(slot)), false));
    return slot;
  }

  /** A word no rule names (or a Korean word ending in a particle): examined once, then cached. */
  private remember(word: string, hash: number): number {
    const id = this.koreanBaseId(word);
    const wildcards = this.wildcardsOf(word);
    if (this.table.size < this.wordCacheLimit + this.wordCount) return this.table.insert(word, hash, id, this.packList(wildcards, false));
    this.uncachedId = id;
    this.uncachedList = this.packList(wildcards, true);
    return UNCACHED;
  }

  /**
   * Packs a list of wildcard ids. A list for one article only (`scratch`) is overwritten by the next
   * article's; one kept goes after this article's scratch lists, which stay valid until it ends.
   */
  private packList(wildcards: readonly number[], scratch: boolean): number {
    if (wildcards.length === 0) return NO_WILDCARD_LIST;
    const offset = Math.max(this.uncachedListsUsed, this.listsUsed);
    const end = offset + 1 + wildcards.length;
    if (end > this.lists.length) {
      const grown = new Int32Array(Math.max(this.lists.length * 2, end));
      grown.set(this.lists);
      this.lists = grown;
    }
    this.lists[offset] = wildcards.length;
    this.lists.set(wildcards, offset + 1);
    if (scratch) this.uncachedListsUsed = end;
    else this.listsUsed = end;
    return offset;
  }

  /** `북한은` stands for the rule word `북한` (see korean.ts); -1 when no rule word is its base. */
  private koreanBaseId(word: string): number {
    for (const base of koreanBases(word)) {
      const slot = this.table.find(base, hashWord(base));
      const id = slot < 0 ? -1 : this.table.id(slot);
      if (id >= 0) return id;
    }
    return -1;
  }

  private wildcardsOf(word: string): readonly number[] {
    let found: number[] | undefined;
    let node: PrefixNode | undefined = this.prefixes;
    for (let i = 0; i < word.length; i++) {
      node = node.children.get(word.charCodeAt(i));
      if (!node) break;
      if (node.id >= 0) (found ??= []).push(node.id);
      for (const wildcard of node.tested) if (wildcard.test(word)) (found ??= []).push(wildcard.id);
    }
    for (const wildcard of this.unanchored) if (wildcard.test(word)) (found ??= []).push(wildcard.id);
    return found ?? NO_WILDCARDS;
  }

  /** Whether the article analysed as `analysis` (what startArticle returned) is still the current one. */
  isCurrent(analysis: number): boolean {
    return analysis === this.stamp && this.presence.length === this.size;
  }

  /** Starts the scratch state for a new article; returns its number, for isCurrent. */
  startArticle(): number {
    this.frozen = true;
    if (this.presence.length !== this.size) {
      this.presence = new Uint32Array(this.size);
      this.stamp = 0;
    }
    this.uncachedListsUsed = this.listsUsed;
    this.stamp = (this.stamp + 1) & STAMP_MASK;
    if (this.stamp === 0) {
      this.presence.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /** Records that word `id` occurs in a field; true the first time it is seen in this article. */
  note(id: number, fieldBit: number): boolean {
    const before = this.presence[id] as number;
    if (before >>> 6 !== this.stamp) {
      this.presence[id] = (this.stamp << 6) | fieldBit;
      return true;
    }
    this.presence[id] = before | fieldBit;
    return false;
  }

  /** Fields (bits) of the current article holding word `id`; 0 when absent. */
  fieldsHolding(id: number): number {
    const state = this.presence[id] as number;
    return state >>> 6 === this.stamp ? state & 63 : 0;
  }
}

function newPrefixNode(): PrefixNode {
  return { children: new Map(), id: -1, tested: [], ruleWords: 0 };
}
