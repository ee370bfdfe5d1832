import type { Article } from '../feeds/article.js';
import type { TextField } from './ast.js';
import { normalizeWord, tokenizeText, type TokenizedText } from './tokenize.js';
import { FIELD_BITS, type Vocabulary } from './vocabulary.js';

/**
 * A field's words with, per position, the vocabulary id of the word (-1: no rule mentions it), and
 * the positions of words starting with a wildcard prefix. Positions of an id are found by scanning
 * when a rule asks: cheaper than building a map of every word for every article.
 */
export interface FieldText extends TokenizedText {
  ids: Int32Array;
  /** Flat pairs: prefix id, position. */
  prefixHits: number[];
  /** The text lower-cased, made on first use (regex literal checks). */
  lower?: string;
  /** The field's whole text, before the cut to MAX_FIELD_CHARS. */
  source: string;
}

export function lowerText(field: FieldText): string {
  return (field.lower ??= field.text.toLowerCase());
}

/** An article tokenised once, shared by every rule evaluated against it. */
export interface ArticleDoc {
  vocabulary: Vocabulary;
  /** Which analysis of the vocabulary this is: its per-article word flags hold only for the latest. */
  analysis: number;
  /** Vocabulary ids of the words and prefixes present, each once. */
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
export function matchedText(text: string): string {
  if (text.length <= MAX_FIELD_CHARS) return text;
  for (let cut = MAX_FIELD_CHARS; cut > MAX_FIELD_CHARS - CUT_SEARCH; cut--) {
    if (/\s/.test(text[cut] as string)) return text.slice(0, cut);
  }
  // No space nearby (e.g. unspaced scripts): cut anyway, never inside a surrogate pair.
  const low = text.charCodeAt(MAX_FIELD_CHARS);
  return text.slice(0, low >= 0xdc00 && low <= 0xdfff ? MAX_FIELD_CHARS - 1 : MAX_FIELD_CHARS);
}

function fieldText(fullText: string, field: TextField, vocabulary: Vocabulary, wordIds: number[]): FieldText {
  const text = matchedText(fullText);
  const { tokens, starts, ends } = tokenizeText(text);
  const ids = new Int32Array(tokens.length);
  const prefixHits: number[] = [];
  const bit = FIELD_BITS[field];
  for (let position = 0; position < tokens.length; position++) {
    const entry = vocabulary.lookup(tokens[position] as string);
    const id = entry.id;
    ids[position] = id;
    if (id >= 0 && vocabulary.note(id, bit)) wordIds.push(id);
    const prefixes = entry.prefixes as readonly number[];
    for (let i = 0; i < prefixes.length; i++) {
      const prefixId = prefixes[i] as number;
      if (vocabulary.note(prefixId, bit)) wordIds.push(prefixId);
      prefixHits.push(prefixId, position);
    }
  }
  return { text, tokens, starts, ends, ids, prefixHits, source: fullText };
}

const NONE: readonly number[] = [];

/** Where word `id` occurs in a field. */
export function positionsOf(doc: ArticleDoc, field: TextField, id: number): readonly number[] {
  if ((doc.vocabulary.fieldsHolding(id) & FIELD_BITS[field]) === 0) return NONE;
  const { ids } = doc.fields[field];
  const out: number[] = [];
  for (let p = 0; p < ids.length; p++) if (ids[p] === id) out.push(p);
  return out;
}

/** Where words starting with wildcard prefix `id` occur in a field. */
export function prefixPositionsOf(doc: ArticleDoc, field: TextField, id: number): readonly number[] {
  if ((doc.vocabulary.fieldsHolding(id) & FIELD_BITS[field]) === 0) return NONE;
  const { prefixHits } = doc.fields[field];
  const out: number[] = [];
  for (let i = 0; i < prefixHits.length; i += 2) if (prefixHits[i] === id) out.push(prefixHits[i + 1] as number);
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
  const { ids, prefixHits } = earlier;
  for (let p = 0; p < ids.length; p++) {
    const id = ids[p] as number;
    if (id >= 0 && vocabulary.note(id, bit)) wordIds.push(id);
  }
  for (let i = 0; i < prefixHits.length; i += 2) {
    const prefixId = prefixHits[i] as number;
    if (vocabulary.note(prefixId, bit)) wordIds.push(prefixId);
  }
  return earlier;
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
  const field = (text: string, name: TextField): FieldText => {
    const earlier = analysed.find((f) => f.source === text);
    if (earlier) return sameText(earlier, name, vocabulary, wordIds);
    const made = fieldText(text, name, vocabulary, wordIds);
    analysed.push(made);
    return made;
  };
  return {
    vocabulary,
    analysis,
    wordIds,
    fields: {
      title: field(article.title, 'title'),
      summary: field(article.summary, 'summary'),
      content: field(article.content, 'content'),
      author: field(article.author, 'author'),
      // One line per category; a phrase may run across two of them, which is harmless here.
      category: field(article.categories.join('\n'), 'category'),
      link: field(article.link, 'link'),
    },
    sourceKeys: [normalizeKeyword('source', article.feedId), ...domainSuffixes(host)],
    sourceTexts: [article.feedId, host],
    langKeys: langPrefixes(lang),
    langText: article.lang ?? '',
    publishedMs: Date.parse(article.published),
  };
}
