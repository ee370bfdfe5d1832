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
}

export function lowerText(field: FieldText): string {
  return (field.lower ??= field.text.toLowerCase());
}

/** An article tokenised once, shared by every rule evaluated against it. */
export interface ArticleDoc {
  vocabulary: Vocabulary;
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

function fieldText(text: string, field: TextField, vocabulary: Vocabulary, wordIds: number[]): FieldText {
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
  return { text, tokens, starts, ends, ids, prefixHits };
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

/** Tokenises every field once; `vocabulary` must hold every word of the queries to evaluate. */
export function analyzeArticle(article: Article, vocabulary: Vocabulary): ArticleDoc {
  const host = linkHost(article.link);
  const lang = normalizeKeyword('lang', article.lang ?? '');
  const wordIds: number[] = [];
  vocabulary.startArticle();
  return {
    vocabulary,
    wordIds,
    fields: {
      title: fieldText(article.title, 'title', vocabulary, wordIds),
      summary: fieldText(article.summary, 'summary', vocabulary, wordIds),
      content: fieldText(article.content, 'content', vocabulary, wordIds),
      author: fieldText(article.author, 'author', vocabulary, wordIds),
      // One line per category; a phrase may run across two of them, which is harmless here.
      category: fieldText(article.categories.join('\n'), 'category', vocabulary, wordIds),
      link: fieldText(article.link, 'link', vocabulary, wordIds),
    },
    sourceKeys: [normalizeKeyword('source', article.feedId), ...domainSuffixes(host)],
    sourceTexts: [article.feedId, host],
    langKeys: langPrefixes(lang),
    langText: article.lang ?? '',
    publishedMs: Date.parse(article.published),
  };
}
