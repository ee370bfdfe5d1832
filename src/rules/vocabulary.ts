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

/**
 * Every word (and wildcard prefix) the rules mention, numbered. An article's words are looked up here once each (hashing
 * a fresh string is the main per-word cost); words no rule mentions are dropped on the spot.
 *
 * It also keeps, per word id, the fields it occurs in for the article being matched. That scratch
 * state is stamped per article, so nothing is cleared or allocated per article; it is valid until
 * the next `startArticle`, which is fine because matching one article is synchronous.
 */
/** Wildcard prefixes, keyed by UTF-16 code unit so walking a word creates no strings. */
interface PrefixNode {
  children: Map<number, PrefixNode>;
  /** Vocabulary id when a wildcard prefix ends here, else -1. */
  id: number;
}

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly prefixes: PrefixNode = { children: new Map(), id: -1 };
  private prefixCount = 0;
  private seenIn = new Uint32Array(0);
  private masks = new Uint8Array(0);
  private stamp = 0;

  get size(): number {
    return this.ids.size + this.prefixCount;
  }

  get hasPrefixes(): boolean {
    return this.prefixCount > 0;
  }

  idOf(word: string): number | undefined {
    return this.ids.get(word);
  }

  add(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) this.ids.set(word, (id = this.size));
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
      node.id = this.size;
      this.prefixCount++;
    }
    return node.id;
  }

  /** Calls `visit` with the id of every registered prefix `word` starts with. */
  forEachPrefixOf(word: string, visit: (id: number) => void): void {
    let node: PrefixNode | undefined = this.prefixes;
    for (let i = 0; i < word.length; i++) {
      node = node.children.get(word.charCodeAt(i));
      if (!node) return;
      if (node.id >= 0) visit(node.id);
    }
  }

  startArticle(): void {
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
