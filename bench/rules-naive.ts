/**
 * The naive baseline the index is measured against: every rule evaluated on every article, each
 * term a compiled regular expression run over the field text. Same semantics as the engine
 * (so the two can be cross-checked), none of its indexing.
 */
import type { Article } from '../src/articles/article.js';
import type { QueryNode, TextField } from '../src/rules/ast.js';
import { DEFAULT_FIELDS } from '../src/rules/ast.js';
import { linkHost } from '../src/rules/document.js';
import { spansNear, type Span } from '../src/rules/evaluate.js';
import { parseQuery, type RuleDefinition } from '../src/rules/index.js';
import { compileRegex, regexMatches } from '../src/rules/regex.js';

/**
 * ASCII classes and \b: cheaper to compile and run than Unicode property classes, so this favours
 * the baseline. Exact on the benchmark corpus, whose text is ASCII once diacritics are stripped;
 * the benchmark cross-checks both engines' matches on its sample.
 */
const WORD = '[a-z0-9]';
const escapeText = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

type Compiled =
  | { kind: 'text'; fields: readonly TextField[]; re: RegExp; length: number }
  | { kind: 'and' | 'or'; children: Compiled[] }
  | { kind: 'not'; child: Compiled }
  | { kind: 'near'; left: Compiled; right: Compiled; distance: number; ordered: boolean }
  | { kind: 'other'; node: QueryNode };

function compile(node: QueryNode): Compiled {
  const bounded = (body: string) => new RegExp(`\\b${body}\\b`, 'g');
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map(compile) };
    case 'not':
      return { kind: 'not', child: compile(node.child) };
    case 'near':
      return { kind: 'near', left: compile(node.left), right: compile(node.right), distance: node.distance, ordered: node.ordered };
    case 'term':
      return { kind: 'text', fields: fieldsOf(node.field), re: bounded(escapeText(node.word)), length: 1 };
    case 'phrase':
      return {
        kind: 'text',
        fields: fieldsOf(node.field),
        re: bounded(node.words.map(escapeText).join('[^a-z0-9]+')),
        length: node.words.length,
      };
    case 'wildcard': {
      const body = [...node.pattern].map((c) => (c === '?' ? WORD : c === '*' ? `${WORD}*` : escapeText(c))).join('');
      return { kind: 'text', fields: fieldsOf(node.field), re: bounded(body), length: 1 };
    }
    default:
      return { kind: 'other', node };
  }
}

const fieldsOf = (scope: string): readonly TextField[] => (scope === 'default' ? DEFAULT_FIELDS : [scope as TextField]);

interface NaiveDoc {
  text: Record<TextField, string>;
  raw: Record<TextField, string>;
  /** Offsets where each word of the normalised text starts, to turn hits into word positions. */
  wordStarts: Record<TextField, number[]>;
  sourceKeys: string[];
  langKeys: string[];
}

const normalize = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .normalize('NFKC');

function prepare(article: Article): NaiveDoc {
  const raw: Record<TextField, string> = {
    title: article.title,
    summary: article.summary,
    content: article.content,
    author: article.author,
    category: article.categories.join('\n'),
    link: article.link,
  };
  const text = {} as Record<TextField, string>;
  const wordStarts = {} as Record<TextField, number[]>;
  for (const [field, value] of Object.entries(raw) as Array<[TextField, string]>) {
    text[field] = normalize(value);
    wordStarts[field] = [...text[field].matchAll(/[a-z0-9]+/g)].map((m) => m.index);
  }
  const host = linkHost(article.link);
  const labels = host.split('.');
  const lang = (article.lang ?? '').toLowerCase().replaceAll('_', '-').split('-');
  return {
    text,
    raw,
    wordStarts,
    sourceKeys: [article.feedId.toLowerCase(), ...labels.map((_, i) => labels.slice(i).join('.'))],
    langKeys: lang.map((_, i) => lang.slice(0, lang.length - i).join('-')),
  };
}

function wordIndex(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function spans(c: Compiled, doc: NaiveDoc, field: TextField): Span[] {
  if (c.kind === 'or') return c.children.flatMap((child) => spans(child, doc, field));
  if (c.kind !== 'text' || !c.fields.includes(field)) return [];
  const out: Span[] = [];
  for (const m of doc.text[field].matchAll(c.re)) {
    const start = wordIndex(doc.wordStarts[field], m.index);
    out.push({ start, end: start + c.length - 1 });
  }
  return out;
}

function evaluate(c: Compiled, doc: NaiveDoc): boolean {
  switch (c.kind) {
    case 'and':
      return c.children.every((child) => evaluate(child, doc));
    case 'or':
      return c.children.some((child) => evaluate(child, doc));
    case 'not':
      return !evaluate(c.child, doc);
    case 'text':
      return c.fields.some((f) => {
        c.re.lastIndex = 0;
        return c.re.test(doc.text[f]);
      });
    case 'near':
      for (const field of DEFAULT_FIELDS.concat(['author', 'category', 'link'])) {
        const ls = spans(c.left, doc, field);
        if (ls.length === 0) continue;
        const rs = spans(c.right, doc, field);
        if (ls.some((l) => rs.some((r) => spansNear(l, r, c.distance, c.ordered)))) return true;
      }
      return false;
    case 'other': {
      const node = c.node;
      if (node.kind === 'keyword') return (node.field === 'source' ? doc.sourceKeys : doc.langKeys).includes(node.value);
      if (node.kind !== 'regex' || node.field === 'source' || node.field === 'lang')
        throw new Error(`naive baseline: unsupported ${node.kind}`);
      const re = compileRegex(node.source);
      if ('error' in re) throw new Error(re.error);
      return fieldsOf(node.field).some((f) => regexMatches(re, doc.raw[f]));
    }
  }
}

export interface NaiveRules {
  match(article: Article): string[];
}

export function compileNaive(defs: RuleDefinition[]): NaiveRules {
  const rules = defs.map((def) => {
    const query = parseQuery(def.query);
    const exclude = def.exclude === undefined ? undefined : parseQuery(def.exclude);
    if (!query.ok || (exclude && !exclude.ok)) throw new Error(`bench rule ${def.id} does not parse`);
    return { id: def.id, feeds: def.feeds, query: compile(query.ast), exclude: exclude?.ok ? compile(exclude.ast) : undefined };
  });
  return {
    match(article) {
      const doc = prepare(article);
      return rules
        .filter((r) => (!r.feeds || r.feeds.includes(article.feedId)) && evaluate(r.query, doc) && !(r.exclude && evaluate(r.exclude, doc)))
        .map((r) => r.id);
    },
  };
}
