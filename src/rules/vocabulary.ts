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
 * Every word the rules mention, numbered. An article's words are looked up here once each (hashing
 * a fresh string is the main per-word cost); words no rule mentions are dropped on the spot.
 *
 * It also keeps, per word id, the fields it occurs in for the article being matched. That scratch
 * state is stamped per article, so nothing is cleared or allocated per article; it is valid until
 * the next `startArticle`, which is fine because matching one article is synchronous.
 */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private seenIn = new Uint32Array(0);
  private masks = new Uint8Array(0);
  private stamp = 0;

  get size(): number {
    return this.ids.size;
  }

  idOf(word: string): number | undefined {
    return this.ids.get(word);
  }

  add(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) this.ids.set(word, (id = this.ids.size));
    return id;
  }

  startArticle(): void {
    if (this.seenIn.length !== this.ids.size) {
      this.seenIn = new Uint32Array(this.ids.size);
      this.masks = new Uint8Array(this.ids.size);
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
