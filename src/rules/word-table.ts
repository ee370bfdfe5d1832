/**
 * An open-addressed hash table of words, laid out in two typed arrays so that looking a word up
 * touches one slot and the packed characters of the word it holds: an article looks up hundreds of
 * words among tens of thousands, and following a pointer to an object and then to its string cost a
 * cache miss each (twice the time of the lookup itself, measured on the rules benchmark). A short
 * word's characters are also kept in its slot, so finding it reads one slot and nothing else: the
 * second read, of the characters, was as costly as the first (CPU profile of the rules benchmark).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units; the article scanner computes the same hash while it reads a word. */
export function hashWord(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h;
}

/** One step of hashWord, for scanners that hash as they read. */
export function hashStep(h: number, code: number): number {
  return Math.imul(h ^ code, FNV_PRIME);
}

export const HASH_START = FNV_OFFSET;

/**
 * Ints per slot: hash, id, offset of the word in `chars` (0: empty slot), value, length, and
 * INLINE_INTS ints holding the word's code units when it is short and Latin-1 (4 a int, low byte
 * first, 0 past its end); a longer or other word has INLINE_NONE added to its length.
 */
const STRIDE = 8;
const HASH = 0;
const ID = 1;
const CHARS = 2;
const VALUE = 3;
const LENGTH = 4;
const INLINE = 5;
const INLINE_INTS = 3;
const INLINE_MAX = 4 * INLINE_INTS;
const INLINE_NONE = 1 << 30;

/**
 * Writes the ints a short Latin-1 word is held in within its slot (see STRIDE) at `at`; false (and
 * nothing written) for other words. Straight into the slots: a typed array per word inserted was
 * the table's largest allocation when compiling rules.
 */
function writeInlineCodes(word: string, slots: Int32Array, at: number): boolean {
  if (word.length > INLINE_MAX) return false;
  let packed0 = 0;
  let packed1 = 0;
  let packed2 = 0;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code > 0xff) return false;
    const shifted = code << ((i & 3) * 8);
    if (i < 4) packed0 |= shifted;
    else if (i < 8) packed1 |= shifted;
    else packed2 |= shifted;
  }
  slots[at] = packed0;
  slots[at + 1] = packed1;
  slots[at + 2] = packed2;
  return true;
}

/**
 * Words with an id and one more number each (`value`), found by string or by a range of text. A
 * slot is named by its offset in `slots`, valid until the next insert (which may grow the table).
 */
export class WordTable {
  private slots = new Int32Array(STRIDE * 1024);
  /** Per word, its length then its UTF-16 code units; offset 0 is unused so that 0 means empty. */
  private chars = new Uint16Array(8192);
  private charsUsed = 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The slot holding `word` (whose hash is `hash`), or -1. */
  find(word: string, hash: number): number {
    const { slots, chars } = this;
    const mask = slots.length / STRIDE - 1;
    const length = word.length;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const slot = s * STRIDE;
      const offset = slots[slot + CHARS] as number;
      if (offset === 0) return -1;
      if (slots[slot + HASH] !== hash || chars[offset] !== length) continue;
      let i = 0;
      while (i < length && chars[offset + 1 + i] === word.charCodeAt(i)) i++;
      if (i === length) return slot;
    }
  }

  /**
   * The slot holding the word text[start, end) of ASCII letters and digits, read in lower case
   * (`code | 32` is the lower case of a letter or digit), or -1; `hash` is hashWord of the lower case.
   */
  findAscii(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    if (length > INLINE_MAX) return this.findLongAscii(text, start, end, hash);
    // The word packed as its slot holds it: the whole comparison is three int compares.
    let packed0 = 0;
    let packed1 = 0;
    let packed2 = 0;
    for (let i = 0; i < length; i++) {
      const code = (text.charCodeAt(start + i) | 32) << ((i & 3) * 8);
      if (i < 4) packed0 |= code;
      else if (i < 8) packed1 |= code;
      else packed2 |= code;
    }
    const { slots } = this;
    const mask = slots.length / STRIDE - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const slot = s * STRIDE;
      if (slots[slot + CHARS] === 0) return -1;
      if (
        slots[slot + HASH] === hash &&
        slots[slot + LENGTH] === length &&
        slots[slot + INLINE] === packed0 &&
        slots[slot + INLINE + 1] === packed1 &&
        slots[slot + INLINE + 2] === packed2
      ) {
        return slot;
      }
    }
  }

  /** findAscii for words too long to be held in their slot. */
  private findLongAscii(text: string, start: number, end: number, hash: number): number {
    const { slots, chars } = this;
    const mask = slots.length / STRIDE - 1;
    const length = end - start;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const slot = s * STRIDE;
      const offset = slots[slot + CHARS] as number;
      if (offset === 0) return -1;
      if (slots[slot + HASH] !== hash || chars[offset] !== length) continue;
      let i = 0;
      while (i < length && chars[offset + 1 + i] === (text.charCodeAt(start + i) | 32)) i++;
      if (i === length) return slot;
    }
  }

  /** Adds a word that is not in the table; returns its slot. */
  insert(word: string, hash: number, id: number, value: number): number {
    if ((this.count + 1) * 2 * STRIDE > this.slots.length) this.grow();
    if (this.charsUsed + word.length + 1 > this.chars.length) {
      const chars = new Uint16Array(Math.max(this.chars.length * 2, this.charsUsed + word.length + 1));
      chars.set(this.chars);
      this.chars = chars;
    }
    const offset = this.charsUsed;
    this.chars[offset] = word.length;
    for (let i = 0; i < word.length; i++) this.chars[offset + 1 + i] = word.charCodeAt(i);
    this.charsUsed += word.length + 1;
    this.count++;
    const slot = this.freeSlot(this.slots, hash);
    this.slots[slot + HASH] = hash;
    this.slots[slot + ID] = id;
    this.slots[slot + CHARS] = offset;
    this.slots[slot + VALUE] = value;
    const inline = writeInlineCodes(word, this.slots, slot + INLINE);
    this.slots[slot + LENGTH] = inline ? word.length : word.length + INLINE_NONE;
    return slot;
  }

  id(slot: number): number {
    return this.slots[slot + ID] as number;
  }

  value(slot: number): number {
    return this.slots[slot + VALUE] as number;
  }

  setValue(slot: number, value: number): void {
    this.slots[slot + VALUE] = value;
  }

  word(slot: number): string {
    const offset = this.slots[slot + CHARS] as number;
    return String.fromCharCode(...this.chars.subarray(offset + 1, offset + 1 + (this.chars[offset] as number)));
  }

  private freeSlot(slots: Int32Array, hash: number): number {
    const mask = slots.length / STRIDE - 1;
    let s = hash & mask;
    while (slots[s * STRIDE + CHARS] !== 0) s = (s + 1) & mask;
    return s * STRIDE;
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    for (let slot = 0; slot < old.length; slot += STRIDE) {
      if (old[slot + CHARS] === 0) continue;
      // Copied value by value: a subarray view per slot made grow() a GC cost when compiling 100,000 rules.
      const to = this.freeSlot(slots, old[slot + HASH] as number);
      for (let k = 0; k < STRIDE; k++) slots[to + k] = old[slot + k] as number;
    }
    this.slots = slots;
  }
}
