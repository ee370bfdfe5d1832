import type { TextField } from './ast.js';

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

/** Wildcard prefixes, keyed by UTF-16 code unit so walking a word creates no strings. */
interface PrefixNode {
  children: Map<number, PrefixNode>;
  /** Vocabulary id when a wildcard prefix ends here, else -1. */
  id: number;
}

/** What the rules make of one word: its id (-1: no rule names it) and the wildcard prefixes it starts with. */
export interface WordEntry {
  readonly id: number;
  /** Undefined until the word is first seen in an article (rule words), then computed once. */
  prefixes: readonly number[] | undefined;
}

const UNKNOWN_WORD: WordEntry = Object.freeze({ id: -1, prefixes: Object.freeze([]) });

/** Article words remembered with their (empty or not) prefix list, so each is walked once. */
const WORD_CACHE_LIMIT = 200_000;

/**
 * Every word and wildcard prefix the rules mention, numbered. An article's words are looked up here
 * once each (hashing a fresh string is the main per-word cost); the entry says at once whether a
 * rule names the word and which wildcard prefixes it starts with. Words no rule names are cached
 * too (up to a limit) so their prefixes are found once, not once per article.
 *
 * It also keeps, per id, the fields it occurs in for the article being matched. That scratch
 * state is stamped per article, so nothing is cleared or allocated per article; it is valid until
 * the next `startArticle`, which is fine because matching one article is synchronous. Once
 * matching has started the vocabulary is frozen: the cached prefix lists must not go stale.
 */
export class Vocabulary {
  private readonly words = new Map<string, WordEntry>();
  private readonly prefixes: PrefixNode = { children: new Map(), id: -1 };
  private wordCount = 0;
  private prefixCount = 0;
  private frozen = false;
  private seenIn = new Uint32Array(0);
  private masks = new Uint8Array(0);
  private stamp = 0;

  get size(): number {
    return this.wordCount + this.prefixCount;
  }

  idOf(word: string): number | undefined {
    const id = this.words.get(word)?.id;
    return id === undefined || id < 0 ? undefined : id;
  }

  add(word: string): number {
    const known = this.words.get(word);
    if (known) return known.id;
    this.assertOpen();
    const id = this.size;
    this.words.set(word, { id, prefixes: undefined });
    this.wordCount++;
    return id;
  }

  /** A wildcard prefix (`deploy` of `deploy*`) gets an id like a word: articles note it when a word starts with it. */
  addPrefix(prefix: string): number {
    let node = this.prefixes;
    for (let i = 0; i < prefix.length; i++) {
      const code = prefix.charCodeAt(i);
      let child = node.children.get(code);
      if (!child) node.children.set(code, (child = { children: new Map(), id: -1 }));
      node = child;
    }
    if (node.id < 0) {
      this.assertOpen();
      node.id = this.size;
      this.prefixCount++;
    }
    return node.id;
  }

  private assertOpen(): void {
    if (this.frozen) throw new Error('vocabulary changed after matching started: compile a new rule set instead');
  }

  /** The entry for a word of an article. */
  lookup(word: string): WordEntry {
    const known = this.words.get(word);
    if (known) {
      if (known.prefixes === undefined) known.prefixes = this.prefixesOf(word);
      return known;
    }
    const prefixes = this.prefixesOf(word);
    const entry = prefixes.length === 0 ? UNKNOWN_WORD : { id: -1, prefixes };
    if (this.words.size < WORD_CACHE_LIMIT + this.wordCount) this.words.set(word, entry);
    return entry;
  }

  private prefixesOf(word: string): readonly number[] {
    let found: number[] | undefined;
    let node: PrefixNode | undefined = this.prefixes;
    for (let i = 0; i < word.length; i++) {
      node = node.children.get(word.charCodeAt(i));
      if (!node) break;
      if (node.id >= 0) (found ??= []).push(node.id);
    }
    return found ?? UNKNOWN_WORD.prefixes!;
  }

  startArticle(): void {
    this.frozen = true;
    if (this.seenIn.length !== this.size) {
      this.seenIn = new Uint32Array(this.size);
      this.masks = new Uint8Array(this.size);
      this.stamp = 0;
    }
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.seenIn.fill(0);
      this.stamp = 1;
    }
  }

  /** Records that word `id` occurs in a field; true the first time it is seen in this article. */
  note(id: number, fieldBit: number): boolean {
    if (this.seenIn[id] !== this.stamp) {
      this.seenIn[id] = this.stamp;
      this.masks[id] = fieldBit;
      return true;
    }
    this.masks[id] = (this.masks[id] as number) | fieldBit;
    return false;
  }

  /** Fields (bits) of the current article holding word `id`; 0 when absent. */
  fieldsHolding(id: number): number {
    return this.seenIn[id] === this.stamp ? (this.masks[id] as number) : 0;
  }
}
