import type { Article } from '../articles/article.js';
import type { TextField } from './ast.js';
import { ASCII_WORD_CHAR, isWordCodePoint, normalizedPieces, normalizeWord, tokenizeText, type TokenizedText } from './tokenize.js';
import { FIELD_BITS, NO_WILDCARD_LIST, type Vocabulary } from './vocabulary.js';
import { HASH_START, hashStep } from './word-table.js';

/**
 * A field's words as vocabulary ids (-1: no rule mentions it) and the wildcards each matches.
 * Positions of an id are found by scanning when a rule asks: cheaper than building a map of every
 * word for every article.
 */
export class FieldText {
  private words: TokenizedText | undefined;
  /** The text lower-cased, made on first use (regex literal checks). */
  lower: string | undefined;
  /** Whether each regex evaluated so far (by source) matches the text. */
  regexResults: Map<string, boolean> | undefined;

  constructor(
    /** The part of the field that rules see (see matchedText). */
    readonly text: string,
    /** The field's whole text, before the cut to MAX_FIELD_CHARS. */
    readonly source: string,
    readonly ids: Int32Array,
    /** Per word, its list of wildcards in the vocabulary (see Vocabulary.wildcardListAt): valid while this article is its current one. */
    readonly wildcardLists: Int32Array,
  ) {}

  get count(): number {
    return this.ids.length;
  }

  /** The normalised words, made on first use (explanations, regex hits in NEAR): matching reads only ids. */
  get tokens(): readonly string[] {
    return this.tokenized().tokens;
  }

  /** Offset of the first character of the original word each token comes from. */
  get starts(): readonly number[] {
    return this.tokenized().starts;
  }

  /** Offset just after that original word. */
  get ends(): readonly number[] {
    return this.tokenized().ends;
  }

  private tokenized(): TokenizedText {
    return (this.words ??= tokenizeText(this.text));
  }
}

export function lowerText(field: FieldText): string {
  return (field.lower ??= field.text.toLowerCase());
}

/** An article tokenised once, shared by every rule evaluated against it. */
export interface ArticleDoc {
  vocabulary: Vocabulary;
  /** Which analysis of the vocabulary this is: its per-article word flags hold only for the latest. */
  analysis: number;
  /** Vocabulary ids of the words and wildcards present, each once. */
  wordIds: number[];
  fields: Record<TextField, FieldText>;
  /** Feed id, link host and the host's parent domains, normalised: what `source:` compares. */
  sourceKeys: string[];
  /** Raw feed id and host, what `source:/regex/` reads. */
  sourceTexts: string[];
  /** The language tag and its prefixes (`en-us`, `en`): what `lang:` compares. */
  langKeys: string[];
  langText: string;
  /** Epoch ms of `published`, NaN when the feed gave none we can read. */
  publishedMs: number;
}

/**
 * Rules see at most this many characters of each field (about 15,000 words, far more than any
 * article's text): a feed item can be megabytes, and tokenising it all would stall a match
 * worker for seconds.
 */
export const MAX_FIELD_CHARS = 100_000;
/** How far back from the limit a cut looks for a space, so that the last word seen is whole. */
const CUT_SEARCH = 200;

/** The part of a field's text that rules see. */
function matchedText(text: string): string {
  if (text.length <= MAX_FIELD_CHARS) return text;
  for (let cut = MAX_FIELD_CHARS; cut > MAX_FIELD_CHARS - CUT_SEARCH; cut--) {
    if (/\s/.test(text[cut] as string)) return text.slice(0, cut);
  }
  // No space nearby (e.g. unspaced scripts): cut anyway, never inside a surrogate pair.
  const low = text.charCodeAt(MAX_FIELD_CHARS);
  return text.slice(0, low >= 0xdc00 && low <= 0xdfff ? MAX_FIELD_CHARS - 1 : MAX_FIELD_CHARS);
}

/**
 * Splits a field into words exactly as tokenizeText does, and looks each up in the vocabulary.
 * Words of ASCII letters and digits (most of them) are hashed while being read and found without
 * making a string; others are normalised and looked up by their normalised pieces.
 */
function fieldText(fullText: string, field: TextField, vocabulary: Vocabulary, wordIds: number[]): FieldText {
  const text = matchedText(fullText);
  const words = fieldWords.start(vocabulary, FIELD_BITS[field], wordIds);
  let start = -1;
  let ascii = true;
  let hash = HASH_START;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    let cp = i < n ? text.charCodeAt(i) : 32;
    if (cp < 128) {
      if (ASCII_WORD_CHAR[cp] === 1) {
        if (start < 0) {
          start = i;
          ascii = true;
          hash = HASH_START;
        }
        hash = hashStep(hash, cp | 32);
        continue;
      }
    } else {
      let width = 1;
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
        cp = text.codePointAt(i) as number;
        width = 2;
      }
      if (isWordCodePoint(cp)) {
        if (start < 0) start = i;
        ascii = false;
        i += width - 1;
        continue;
      }
    }
    if (start < 0) continue;
    if (ascii) words.record(vocabulary.lookupAscii(text, start, i, hash));
    else for (const piece of normalizedPieces(text.slice(start, i))) words.record(vocabulary.lookup(piece));
    start = -1;
  }
  return new FieldText(text, fullText, words.ids(), words.wildcardLists());
}

/**
 * The words of the field being read, noted in the vocabulary and written into typed arrays reused
 * from field to field, then copied out once (4 bytes a word, no arrays growing word by word). One
 * instance serves every field, since reading a field is synchronous.
 */
class FieldWords {
  private idBuffer = new Int32Array(1024);
  private listBuffer = new Int32Array(1024);
  private count = 0;
  private vocabulary: Vocabulary | undefined;
  private bit = 0;
  private wordIds: number[] = [];

  start(vocabulary: Vocabulary, bit: number, wordIds: number[]): this {
    this.vocabulary = vocabulary;
    this.bit = bit;
    this.wordIds = wordIds;
    this.count = 0;
    return this;
  }

  /** Records the word last looked up (`found`, see Vocabulary.lookup) as the field's next word. */
  record(found: number): void {
    const vocabulary = this.vocabulary as Vocabulary;
    const id = vocabulary.idAt(found);
    if (id >= 0 && vocabulary.note(id, this.bit)) this.wordIds.push(id);
    const list = vocabulary.wildcardListAt(found);
    if (list !== NO_WILDCARD_LIST) vocabulary.noteWildcards(list, this.bit, this.wordIds);
    if (this.count === this.idBuffer.length) this.grow();
    this.idBuffer[this.count] = id;
    this.listBuffer[this.count] = list;
    this.count++;
  }

  ids(): Int32Array {
    return this.idBuffer.slice(0, this.count);
  }

  wildcardLists(): Int32Array {
    return this.listBuffer.slice(0, this.count);
  }

  private grow(): void {
    const ids = new Int32Array(this.idBuffer.length * 2);
    ids.set(this.idBuffer);
    this.idBuffer = ids;
    const lists = new Int32Array(this.listBuffer.length * 2);
    lists.set(this.listBuffer);
    this.listBuffer = lists;
  }
}

const fieldWords = new FieldWords();

const NONE: readonly number[] = [];

/** Where word `id` occurs in a field. */
export function positionsOf(doc: ArticleDoc, field: TextField, id: number): readonly number[] {
  if ((doc.vocabulary.fieldsHolding(id) & FIELD_BITS[field]) === 0) return NONE;
  const { ids } = doc.fields[field];
  const out: number[] = [];
  for (let p = 0; p < ids.length; p++) if (ids[p] === id) out.push(p);
  return out;
}

/** Where words matching wildcard `id` occur in a field. */
export function wildcardPositionsOf(doc: ArticleDoc, field: TextField, id: number): readonly number[] {
  if ((doc.vocabulary.fieldsHolding(id) & FIELD_BITS[field]) === 0) return NONE;
  const { vocabulary } = doc;
  const { wildcardLists } = doc.fields[field];
  const out: number[] = [];
  for (let p = 0; p < wildcardLists.length; p++) {
    const list = wildcardLists[p] as number;
    if (list !== NO_WILDCARD_LIST && vocabulary.wildcardListHas(list, id)) out.push(p);
  }
  return out;
}

/** scheme://[user@]host — a RegExp, not `new URL`, which costs more than tokenising a title. */
const URL_HOST = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^:/?#]*)/i;

/** The link's host, lower-cased, without a trailing dot; '' when the link is not an absolute URL. */
export function linkHost(link: string): string {
  const host = URL_HOST.exec(link.trim())?.[1] ?? '';
  return host.toLowerCase().replace(/\.$/, '');
}

/** `www.reuters.com` -> `www.reuters.com`, `reuters.com`, `com`. */
function domainSuffixes(host: string): string[] {
  const labels = host.split('.').filter((l) => l !== '');
  return labels.map((_, i) => labels.slice(i).join('.'));
}

/** How `source:` and `lang:` values are compared, on both the query and the article side. */
export function normalizeKeyword(field: 'source' | 'lang', value: string): string {
  const normalized = normalizeWord(value.trim());
  return field === 'lang' ? normalized.replaceAll('_', '-') : normalized;
}

/** `en-us` -> `en-us`, `en`. */
function langPrefixes(lang: string): string[] {
  const parts = lang.split('-').filter((p) => p !== '');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('-'));
}

/** The same words as an earlier field with the same text, noted as occurring in `field` too. */
function sameText(earlier: FieldText, field: TextField, vocabulary: Vocabulary, wordIds: number[]): FieldText {
  const bit = FIELD_BITS[field];
  const { ids, wildcardLists } = earlier;
  for (let p = 0; p < ids.length; p++) {
    const id = ids[p] as number;
    if (id >= 0 && vocabulary.note(id, bit)) wordIds.push(id);
    const list = wildcardLists[p] as number;
    if (list !== NO_WILDCARD_LIST) vocabulary.noteWildcards(list, bit, wordIds);
  }
  return earlier;
}

/** A field of the article, tokenised unless an earlier field (in `analysed`) has the same text. */
function readField(text: string, field: TextField, vocabulary: Vocabulary, wordIds: number[], analysed: FieldText[]): FieldText {
  for (const earlier of analysed) if (earlier.source === text) return sameText(earlier, field, vocabulary, wordIds);
  const made = fieldText(text, field, vocabulary, wordIds);
  analysed.push(made);
  return made;
}

/**
 * Tokenises every distinct field text once (feeds without a separate body repeat the summary as
 * content); `vocabulary` must hold every word of the queries to evaluate.
 */
export function analyzeArticle(article: Article, vocabulary: Vocabulary): ArticleDoc {
  const host = linkHost(article.link);
  const lang = normalizeKeyword('lang', article.lang ?? '');
  const wordIds: number[] = [];
  const analysis = vocabulary.startArticle();
  const analysed: FieldText[] = [];
  return {
    vocabulary,
    analysis,
    wordIds,
    fields: {
      title: readField(article.title, 'title', vocabulary, wordIds, analysed),
      summary: readField(article.summary, 'summary', vocabulary, wordIds, analysed),
      content: readField(article.content, 'content', vocabulary, wordIds, analysed),
      author: readField(article.author, 'author', vocabulary, wordIds, analysed),
      // One line per category; a phrase may run across two of them, which is harmless here.
      category: readField(article.categories.join('\n'), 'category', vocabulary, wordIds, analysed),
      link: readField(article.link, 'link', vocabulary, wordIds, analysed),
    },
    sourceKeys: [normalizeKeyword('source', article.feedId), ...domainSuffixes(host)],
    sourceTexts: [article.feedId, host],
    langKeys: langPrefixes(lang),
    langText: article.lang ?? '',
    publishedMs: Date.parse(article.published),
  };
}
