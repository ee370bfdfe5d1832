import type { RawEntry, RawText } from './feed-document.js';

/**
 * Readers for the nodes xml2js builds (through rss-parser's custom fields): what the format adapters
 * (rss.ts, rdf.ts, atom.ts) use to turn rss-parser's output into a RawFeed.
 */

/** An rss-parser feed or item, with the raw xml2js nodes requested as custom fields (xml-feed.ts). */
export type XmlOutput = Record<string, unknown>;

/** Where xml2js keeps an element's children in document order, each child's element name, and text nodes' name. */
export const ORDERED = '$$';
export const NAME = '#name';
export const TEXT_NODE = '__text__';

/** The entry fields read alike in every XML format: title, xml:base, author, categories, dates, language. */
export function sharedEntryFields(item: XmlOutput): Omit<RawEntry, 'guid' | 'link' | 'summary' | 'content'> {
  const mediaGroup = asRecord(first(item.mediaGroupNodes));
  const attributes = stringRecord(item.attributes);
  return {
    title: firstText(item.titleNodes, item.dcTitleNodes, item.mediaTitleNodes, mediaGroup['media:title']),
    base: attributes['xml:base'],
    author: [item.authorNodes, item.creatorNodes, item.dcAuthorNodes, item.itunesAuthorNodes]
      .map((n) => personName(first(n)))
      .find(Boolean),
    categories: [item.categoryNodes, item.subjectNodes, item.mediaCategoryNodes].flatMap(categoryNames),
    published:
      nodeText(first(item.publishedNodes)) ??
      nodeText(first(item.issuedNodes)) ??
      nodeText(item.pubDate) ??
      nodeText(first(item.dctermsIssuedNodes)) ??
      nodeText(first(item.createdNodes)) ??
      nodeText(item.date),
    updated: nodeText(first(item.updatedNodes)) ?? nodeText(first(item.modifiedNodes)) ?? nodeText(first(item.dctermsModifiedNodes)),
    lang: attributes['xml:lang'] ?? nodeText(item.dcLanguage),
  };
}

/** The first of the candidate node lists that holds text. */
export function firstText(...candidates: unknown[]): RawText | undefined {
  for (const candidate of candidates) {
    const text = textConstruct(first(candidate));
    if (text) return text;
  }
  return undefined;
}

function personName(node: unknown): string | undefined {
  const record = asRecord(node);
  return nodeText(first(record.name)) ?? nodeText(first(record.email)) ?? nodeText(node);
}

function categoryNames(nodes: unknown): string[] {
  return asArray(nodes)
    .map((node) => {
      const attributes = attributesOf(node);
      // Atom: term is the category, label only its display form.
      return nodeText(node) ?? attributes.term ?? attributes.label ?? attributes.text;
    })
    .filter((name): name is string => Boolean(name));
}

/**
 * An element's text with its type. Atom type="text" is plain text; html, xhtml and RSS (unspecified) are
 * HTML. Atom 0.3 mode="base64" and Atom 1.0 non-text media types carry base64.
 */
export function textConstruct(node: unknown): RawText | undefined {
  if (node === undefined || node === null) return undefined;
  const attributes = attributesOf(node);
  const type = (attributes.type ?? '').toLowerCase();
  // Child elements: Atom xhtml, or HTML pasted into the feed without escaping ("Example <b>Atom</b>").
  let value = hasChildElements(node) ? markupOf(node) : nodeText(node);
  const isBase64 = attributes.mode === 'base64' || (type.includes('/') && !type.startsWith('text/') && !/[+/]xml$/.test(type));
  if (value && isBase64) value = Buffer.from(value, 'base64').toString('utf8');
  if (!value?.trim()) return undefined;
  return { value, type: type === 'text' || type === 'text/plain' ? 'text' : 'html' };
}

function hasChildElements(node: unknown): boolean {
  return Array.isArray(asRecord(node)[ORDERED]);
}

export function optionalText(value: unknown): RawText | undefined {
  const text = nodeText(value);
  return text ? { value: text, type: 'html' } : undefined;
}

/** The text of an xml2js node: a string, or the character data (`_`) of an element with attributes. */
export function nodeText(node: unknown): string | undefined {
  if (typeof node === 'string') return node.trim() ? node : undefined;
  const text = asRecord(node)._;
  return typeof text === 'string' && text.trim() ? text : undefined;
}

/**
 * Markup of an element with child elements (Atom type="xhtml", unescaped HTML in RSS), re-serialised in
 * document order from its ordered children.
 */
function markupOf(node: unknown): string | undefined {
  const parts: string[] = [];
  const walk = (children: unknown[]): void => {
    for (const child of children) {
      const record = asRecord(child);
      const name = String(record[NAME] ?? '');
      if (name === TEXT_NODE) {
        parts.push(escapeText(String(record._ ?? '')));
        continue;
      }
      const tag = name.replace(/^.*:/, '');
      parts.push(`<${tag}>`);
      if (Array.isArray(record[ORDERED])) walk(record[ORDERED]);
      parts.push(`</${tag}>`);
    }
  };
  walk(asArray(asRecord(node)[ORDERED]));
  const markup = parts.join('').trim();
  return markup || undefined;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

export function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The XML attributes of an xml2js node (its `$`). */
export function attributesOf(node: unknown): Record<string, string | undefined> {
  return stringRecord(asRecord(node).$);
}

export function stringRecord(value: unknown): Record<string, string | undefined> {
  const record: Record<string, string | undefined> = {};
  for (const [key, v] of Object.entries(asRecord(value))) if (typeof v === 'string') record[key] = v;
  return record;
}
