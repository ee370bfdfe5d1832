import { lazyDependency } from '../../lazy-dependency.js';
import { slugify } from './feed-id.js';

// The config loader imports this module for feeds/*.opml lists; a config without one never loads the XML parser.
const fastXmlParser = lazyDependency<typeof import('fast-xml-parser')>('fast-xml-parser');
const entities = lazyDependency<typeof import('entities')>('entities');

/** Where export puts the exact feed id, so import gives it back even when it is not a slug of the title. */
export const NEWSWATCH_OPML_NS = 'https://github.com/newswatch/newswatch/opml';
export const ID_ATTRIBUTE = 'newswatch:id';

/** One outline with an `xmlUrl`, as found in the file. */
export interface OpmlFeed {
  url: string;
  /** `title`, else `text`; may be empty. */
  title: string;
  /** Slugs of the enclosing category outlines, outermost first, then of the `category` attribute's paths. */
  tags: string[];
  /** False when the outline or an ancestor has `isComment="true"` (export writes disabled feeds so). */
  enabled: boolean;
  /** The `newswatch:id` attribute written by export, when present. */
  id?: string;
}

export interface OpmlDocument {
  title?: string;
  feeds: OpmlFeed[];
}

export class OpmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpmlError';
  }
}

type XmlNode = Record<string, unknown>;

const ATTR = '@_';

/**
 * Reads OPML 1.0 and 2.0 subscription lists: every outline with an `xmlUrl`, at any depth. A document
 * with a DTD is refused outright: OPML never needs one, and refusing it rules out entity expansion
 * attacks (billion laughs) and external entities whatever the parser does with them.
 */
export function parseOpml(text: string): OpmlDocument {
  const xml = text.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE/i.test(xml)) throw new OpmlError('refusing an OPML file with a DTD (<!DOCTYPE ...>): OPML does not use one');
  const { XMLParser, XMLValidator } = fastXmlParser();
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new OpmlError(`not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTR,
    parseAttributeValue: false,
    parseTagValue: false,
    // Only the five XML entities and character references exist without a DTD; decoded below.
    processEntities: false,
    isArray: (name) => name === 'outline',
  }).parse(xml) as XmlNode;
  const opml = parsed.opml;
  if (!isNode(opml)) {
    const root = Object.keys(parsed).find((k) => !k.startsWith('?'));
    throw new OpmlError(`not an OPML file: the root element is <${root ?? 'nothing'}>, expected <opml>`);
  }
  const head = isNode(opml.head) ? opml.head : {};
  const body = isNode(opml.body) ? opml.body : undefined;
  if (!body && opml.body !== '') throw new OpmlError('not an OPML file: <opml> has no <body>');
  const feeds: OpmlFeed[] = [];
  collectFeeds(body?.outline, [], true, feeds);
  const title = textOf(head.title);
  return { ...(title ? { title } : {}), feeds };
}

function collectFeeds(outlines: unknown, ancestors: string[], enabled: boolean, into: OpmlFeed[]): void {
  if (!Array.isArray(outlines)) return;
  for (const outline of outlines) {
    if (!isNode(outline)) continue;
    const attr = (name: string) => attribute(outline, name);
    const title = attr('title') || attr('text');
    const active = enabled && attr('isComment').toLowerCase() !== 'true';
    const url = attr('xmlUrl');
    if (url) {
      const tags = unique([...ancestors, ...categoryTags(attr('category'))]);
      const id = attr(ID_ATTRIBUTE);
      into.push({ url, title, tags, enabled: active, ...(id ? { id } : {}) });
    }
    // A feed outline with children is rare; its children still belong to the categories above it.
    const tag = url ? undefined : slugify(title);
    collectFeeds(outline.outline, tag ? [...ancestors, tag] : ancestors, active, into);
  }
}

/** OPML 2.0 `category`: comma-separated, slash-delimited paths ("/News/World,/Korea"); every step is a tag. */
function categoryTags(value: string): string[] {
  return value
    .split(',')
    .flatMap((path) => path.split('/'))
    .map(slugify)
    .filter(Boolean);
}

/** Attribute names are matched without case: exporters write `xmlUrl`, `xmlurl` and `XMLURL`. */
function attribute(node: XmlNode, name: string): string {
  const wanted = `${ATTR}${name}`.toLowerCase();
  const key = Object.keys(node).find((k) => k.toLowerCase() === wanted);
  const value = key === undefined ? undefined : node[key];
  return typeof value === 'string' ? entities().decodeHTMLAttribute(value).trim() : '';
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return entities().decodeHTMLAttribute(value).trim();
  if (isNode(value) && typeof value['#text'] === 'string') return entities().decodeHTMLAttribute(value['#text']).trim();
  return '';
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
