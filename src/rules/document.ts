import type { Article } from '../feeds/article.js';
import type { TextField } from './ast.js';
import { normalizeWord, tokenizeText, type TokenizedText } from './tokenize.js';

/** A field's words plus where each distinct word occurs. */
export interface FieldText extends TokenizedText {
  positions: Map<string, number[]>;
}

/** An article tokenised once, shared by every rule evaluated against it. */
export interface ArticleDoc {
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

function fieldText(text: string): FieldText {
  const tokenized = tokenizeText(text);
  const positions = new Map<string, number[]>();
  const { tokens } = tokenized;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const list = positions.get(token);
    if (list) list.push(i);
    else positions.set(token, [i]);
  }
  return { ...tokenized, positions };
}

export function linkHost(link: string): string {
  try {
    return new URL(link).hostname.toLowerCase();
  } catch {
    return '';
  }
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

export function analyzeArticle(article: Article): ArticleDoc {
  const host = linkHost(article.link);
  const lang = normalizeKeyword('lang', article.lang ?? '');
  return {
    fields: {
      title: fieldText(article.title),
      summary: fieldText(article.summary),
      content: fieldText(article.content),
      author: fieldText(article.author),
      // One line per category; a phrase may run across two of them, which is harmless here.
      category: fieldText(article.categories.join('\n')),
      link: fieldText(article.link),
    },
    sourceKeys: [normalizeKeyword('source', article.feedId), ...domainSuffixes(host)],
    sourceTexts: [article.feedId, host],
    langKeys: langPrefixes(lang),
    langText: article.lang ?? '',
    publishedMs: Date.parse(article.published),
  };
}
