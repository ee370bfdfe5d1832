import Parser from 'rss-parser';
import { FeedParseError } from './errors.js';
import { closeTruncatedDocument } from './xml-repair.js';
import type { FeedFormat, RawEntry, RawFeed, RawText } from './feed-document.js';

/**
 * The rss-parser adapter: RSS 0.9x/2.0, RDF (RSS 1.0/0.90) and Atom 0.3/1.0 into a RawFeed.
 *
 * rss-parser flattens away what normalisation needs (xml:base, Atom text types, Atom 0.3 dates, Atom
 * categories), so the raw xml2js nodes are requested as custom fields and read here. Its Atom builder also
 * throws on an unparseable <published>/<updated> (`new Date(x).toISOString()`), so those elements are
 * renamed while parsing and read raw instead.
 */

type Output = Record<string, unknown>;
type XmlFormat = Exclude<FeedFormat, 'json'>;

const RENAMED_DATE_TAGS: Record<string, string> = { published: 'nw-published', updated: 'nw-updated' };

const FEED_FIELDS = [
  ['$', 'attributes', { keepArray: true }],
  ['title', 'titleNodes', { keepArray: true }],
  ['link', 'linkNodes', { keepArray: true }],
  ['dc:language', 'dcLanguage'],
];

const ITEM_FIELDS = [
  ['$', 'attributes', { keepArray: true }],
  ['title', 'titleNodes', { keepArray: true }],
  ['dc:title', 'dcTitleNodes', { keepArray: true }],
  ['link', 'linkNodes', { keepArray: true }],
  ['guid', 'guidNodes', { keepArray: true }],
  ['id', 'idNodes', { keepArray: true }],
  ['description', 'descriptionNodes', { keepArray: true }],
  ['summary', 'summaryNodes', { keepArray: true }],
  ['content', 'contentNodes', { keepArray: true }],
  ['content:encoded', 'encodedNodes', { keepArray: true }],
  ['category', 'categoryNodes', { keepArray: true }],
  ['dc:subject', 'subjectNodes', { keepArray: true }],
  ['author', 'authorNodes', { keepArray: true }],
  ['dc:creator', 'creatorNodes', { keepArray: true }],
  ['nw-published', 'publishedNodes', { keepArray: true }],
  ['nw-updated', 'updatedNodes', { keepArray: true }],
  ['issued', 'issuedNodes', { keepArray: true }],
  ['modified', 'modifiedNodes', { keepArray: true }],
  ['created', 'createdNodes', { keepArray: true }],
  ['dcterms:issued', 'dctermsIssuedNodes', { keepArray: true }],
  ['dcterms:modified', 'dctermsModifiedNodes', { keepArray: true }],
  ['dc:language', 'dcLanguage'],
  // Fallbacks real feeds rely on: YouTube puts its text in media:group, podcasts in itunes:*.
  ['dc:description', 'dcDescriptionNodes', { keepArray: true }],
  ['itunes:summary', 'itunesSummaryNodes', { keepArray: true }],
  ['media:description', 'mediaDescriptionNodes', { keepArray: true }],
  ['media:group', 'mediaGroupNodes', { keepArray: true }],
  ['media:title', 'mediaTitleNodes', { keepArray: true }],
  ['media:category', 'mediaCategoryNodes', { keepArray: true }],
  ['itunes:author', 'itunesAuthorNodes', { keepArray: true }],
  ['dc:author', 'dcAuthorNodes', { keepArray: true }],
  ['xhtml:body', 'xhtmlBodyNodes', { keepArray: true }],
  ['body', 'bodyNodes', { keepArray: true }],
  ['fullitem', 'fullitemNodes', { keepArray: true }],
];

/**
 * Element and attribute names whose case matters to rss-parser. sax's lenient mode upper-cases every
 * name, so names are lower-cased and these are given their canonical case back.
 */
const CANONICAL_NAMES = new Map(
  ['pubDate', 'lastBuildDate', 'managingEditor', 'webMaster', 'skipHours', 'skipDays', 'textInput', 'rdf:RDF', 'isPermaLink'].map(
    (name) => [name.toLowerCase(), name],
  ),
);

/** Namespaces whose elements are the format's own: a prefix bound to one of them is dropped. */
const OWN_NAMESPACES: Record<XmlFormat, string[]> = {
  rss: ['http://backend.userland.com/rss2', 'http://backend.userland.com/rss'],
  rdf: ['http://purl.org/rss/1.0/', 'http://my.netscape.com/rdf/simple/0.9/'],
  atom: ['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#'],
};

export interface XmlDocument {
  xml: string;
  format: XmlFormat;
  /** Namespace prefix of the root element, '' when none. */
  rootPrefix: string;
  rootAttributes: Record<string, string>;
}

/**
 * Parses XML with rss-parser: strictly first; on a syntax error leniently (HTML entities, bare "&", bad
 * nesting); and if the document was cut short, once more with its open elements closed.
 */
export async function parseXmlFeed(document: XmlDocument): Promise<RawFeed> {
  const prefixes = ownPrefixes(document);
  let output: Output;
  try {
    output = await runRssParser(document.xml, { strict: true, format: document.format, prefixes });
  } catch (strictError) {
    if (!isXmlSyntaxError(strictError)) throw asParseError(strictError);
    try {
      output = await runRssParser(document.xml, { strict: false, format: document.format, prefixes });
    } catch (lenientError) {
      const completed = isXmlSyntaxError(lenientError) ? closeTruncatedDocument(document.xml) : undefined;
      if (completed === undefined) throw asParseError(isXmlSyntaxError(lenientError) ? strictError : lenientError);
      try {
        output = await runRssParser(completed, { strict: false, format: document.format, prefixes });
      } catch {
        throw asParseError(strictError);
      }
    }
  }
  return toRawFeed(output, document.format);
}

/**
 * Prefixes that mean "this format's own element" (<r:rss>, <a:entry>, <rss:item>), lower-cased with their
 * colon. The RDF root's prefix is the RDF namespace, not RSS's, so it is not one of them.
 */
function ownPrefixes({ format, rootPrefix, rootAttributes }: XmlDocument): string[] {
  const prefixes = Object.entries(rootAttributes)
    .filter(([name, uri]) => name.startsWith('xmlns:') && OWN_NAMESPACES[format].includes(uri))
    .map(([name]) => name.slice('xmlns:'.length));
  if (rootPrefix && format !== 'rdf') prefixes.push(rootPrefix);
  return prefixes.map((p) => `${p.toLowerCase()}:`);
}

interface XmlParseMode {
  /** sax strict mode; lenient mode accepts HTML entities, bare "&" and bad nesting but upper-cases names. */
  strict: boolean;
  format: XmlFormat;
  prefixes: string[];
}

async function runRssParser(xml: string, { strict, format, prefixes }: XmlParseMode): Promise<Output> {
  const renameTag = (name: string): string => {
    let canonical = strict ? name : (CANONICAL_NAMES.get(name.toLowerCase()) ?? name.toLowerCase());
    const prefix = prefixes.find((p) => canonical.toLowerCase().startsWith(p));
    if (prefix) canonical = canonical.slice(prefix.length);
    // Any prefix for the RDF root ("RDF:RDF", bare "rdf") is the RDF root to rss-parser.
    if (/^(?:[\w-]+:)?RDF$/i.test(canonical)) return 'rdf:RDF';
    return RENAMED_DATE_TAGS[canonical] ?? canonical;
  };
  const renameAttribute = (name: string): string =>
    strict ? name : (CANONICAL_NAMES.get(name.toLowerCase()) ?? name.toLowerCase());
  // A new Parser per parse: its xml2js parser keeps state and is not reusable.
  const parser = new RepairingParser({
    defaultRSS: 2,
    xml2js: {
      strict,
      tagNameProcessors: [renameTag],
      attrNameProcessors: [renameAttribute],
    },
    customFields: { feed: FEED_FIELDS as never, item: ITEM_FIELDS as never },
  });
  return (await parser.parseString(xml)) as unknown as Output;
}

/**
 * rss-parser dereferences without checking: rss.channel[0], rdf.channel[0], and link.$.rel on Atom links.
 * This subclass repairs the parsed document before its builders run, once per parse (an xml2js `validator`
 * would do it per element, but xml2js rebuilds the element path for each call: quadratic in depth).
 */
class RepairingParser extends Parser {}
{
  const builders = Parser.prototype as unknown as Record<string, (this: Parser, document: unknown) => unknown>;
  const repaired = RepairingParser.prototype as unknown as Record<string, (this: Parser, document: unknown) => unknown>;
  for (const [builder, rootKey] of [['buildRSS0_9', 'rss'], ['buildRSS2', 'rss'], ['buildRSS1', 'rdf:RDF'], ['buildAtomFeed', 'feed']] as const) {
    const original = builders[builder];
    if (typeof original !== 'function') throw new Error(`rss-parser has no ${builder}: its internals changed, update rss.ts`);
    repaired[builder] = function (this: Parser, document: unknown) {
      const record = asRecord(document);
      record[rootKey] = rootKey === 'feed' ? repairAtomRoot(record[rootKey]) : repairRssRoot(record[rootKey], rootKey === 'rss');
      return original.call(this, record);
    };
  }
}

/**
 * An RSS or RDF root with a channel object. In RSS, <item>s outside <channel> (an RSS 0.9x habit) are moved
 * into it; RDF keeps its items beside the channel, where rss-parser looks for them.
 */
function repairRssRoot(node: unknown, moveStrayItems: boolean): Record<string, unknown> {
  const root = isRecord(node) ? node : {};
  const channels = Array.isArray(root.channel) ? root.channel : [];
  const channel = isRecord(channels[0]) ? channels[0] : {};
  if (moveStrayItems && Array.isArray(root.item)) {
    channel.item = [...(Array.isArray(channel.item) ? channel.item : []), ...root.item];
  }
  root.channel = [channel, ...channels.slice(1)];
  return root;
}

/** Atom <link>s as objects with attributes: <link>http://...</link> (Atom 0.3 habit) and bare <link/> included. */
function repairAtomRoot(node: unknown): Record<string, unknown> {
  const feed = isRecord(node) ? node : {};
  const repairLinks = (owner: Record<string, unknown>) => {
    if (!Array.isArray(owner.link)) return;
    owner.link = owner.link.map((link: unknown) => {
      if (isRecord(link) && isRecord(link.$)) return link;
      const text = nodeText(link)?.trim();
      return { ...asRecord(link), $: text ? { href: text } : {} };
    });
  };
  repairLinks(feed);
  for (const entry of Array.isArray(feed.entry) ? feed.entry : []) repairLinks(asRecord(entry));
  return feed;
}

/** sax reports syntax errors with a "Line: n Column: n" suffix; xml2js returns no result for a truncated document. */
function isXmlSyntaxError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /\nLine: \d+/.test(message) || message === 'Unable to parse XML.';
}

function asParseError(error: unknown): FeedParseError {
  if (error instanceof FeedParseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isXmlSyntaxError(error)) {
    return new FeedParseError('malformed-xml', `malformed XML: ${message.replace(/\n/g, ' ')}`, { cause: error });
  }
  if (error instanceof RangeError) {
    return new FeedParseError('malformed-xml', `XML nested too deeply to read: ${message}`, { cause: error });
  }
  if (/not recognized as RSS/.test(message)) {
    return new FeedParseError('not-a-feed', 'XML document is not an RSS, RDF or Atom feed', { cause: error });
  }
  // rss-parser dereferences what it expects (rss.channel[0], link.$.rel): a TypeError means a required part is missing.
  return new FeedParseError('not-a-feed', `feed structure not understood: ${message}`, { cause: error });
}

function toRawFeed(output: Output, format: XmlFormat): RawFeed {
  const attributes = stringRecord(output.attributes);
  const items = Array.isArray(output.items) ? (output.items as Output[]) : [];
  return {
    format,
    title: textConstruct(first(output.titleNodes)) ?? optionalText(output.title),
    link: feedLink(output, format),
    base: attributes['xml:base'],
    lang: attributes['xml:lang'] ?? nodeText(output.language) ?? nodeText(output.dcLanguage),
    ttl: nodeText(output.ttl),
    entries: items.map((item) => toRawEntry(item, format)),
  };
}

function feedLink(output: Output, format: XmlFormat): string | undefined {
  if (format === 'atom') return alternateLink(output.linkNodes) ?? nodeText(output.link);
  // RSS: the plain <link> element; atom:link (self) is a different key.
  return linkNodesText(output.linkNodes) ?? nodeText(output.link);
}

function toRawEntry(item: Output, format: XmlFormat): RawEntry {
  const attributes = stringRecord(item.attributes);
  const isAtom = format === 'atom';
  const mediaGroup = asRecord(first(item.mediaGroupNodes));
  const firstText = (...candidates: unknown[]): RawText | undefined => {
    for (const candidate of candidates) {
      const text = textConstruct(first(candidate));
      if (text) return text;
    }
    return undefined;
  };
  const description = firstText(item.descriptionNodes, item.dcDescriptionNodes);
  const summary = isAtom
    ? firstText(item.summaryNodes)
    : firstText(item.descriptionNodes, item.dcDescriptionNodes, item.summaryNodes, item.itunesSummaryNodes, item.mediaDescriptionNodes, mediaGroup['media:description']);
  const content = isAtom
    ? firstText(item.contentNodes, item.encodedNodes, mediaGroup['media:description'])
    : firstText(item.encodedNodes, item.xhtmlBodyNodes, item.bodyNodes, item.fullitemNodes, description ? undefined : item.contentNodes);
  return {
    guid: (isAtom ? nodeText(first(item.idNodes)) : nodeText(first(item.guidNodes))) ?? nodeText(item['rdf:about']),
    title: firstText(item.titleNodes, item.dcTitleNodes, item.mediaTitleNodes, mediaGroup['media:title']),
    link: isAtom ? alternateLink(item.linkNodes) : (linkNodesText(item.linkNodes) ?? permalinkGuid(item.guidNodes)),
    base: attributes['xml:base'],
    summary,
    content,
    author: [item.authorNodes, item.creatorNodes, item.dcAuthorNodes, item.itunesAuthorNodes].map((n) => personName(first(n))).find(Boolean),
    categories: [item.categoryNodes, item.subjectNodes, item.mediaCategoryNodes].flatMap(categoryNames),
    published:
      nodeText(first(item.publishedNodes)) ??
      nodeText(first(item.issuedNodes)) ??
      nodeText(item.pubDate) ??
      nodeText(first(item.dctermsIssuedNodes)) ??
      nodeText(first(item.createdNodes)) ??
      nodeText(item.date),
    updated:
      nodeText(first(item.updatedNodes)) ??
      nodeText(first(item.modifiedNodes)) ??
      nodeText(first(item.dctermsModifiedNodes)),
    lang: attributes['xml:lang'] ?? nodeText(item.dcLanguage),
  };
}

/** Atom <link>s: rel="alternate" (or no rel) first, else the first link with an href. */
function alternateLink(nodes: unknown): string | undefined {
  const links = asArray(nodes).map((node) => ({ attributes: attributesOf(node), text: nodeText(node) }));
  const alternate = links.find((l) => (l.attributes.rel ?? 'alternate') === 'alternate' && l.attributes.href);
  return alternate?.attributes.href ?? links.find((l) => l.attributes.href)?.attributes.href ?? links.find((l) => l.text)?.text;
}

/** RSS <link>: the first one with text (some feeds repeat it or leave one empty). */
function linkNodesText(nodes: unknown): string | undefined {
  for (const node of asArray(nodes)) {
    const text = nodeText(node);
    if (text) return text;
    const href = attributesOf(node).href;
    if (href) return href;
  }
  return undefined;
}

/** A guid is the article's URL unless isPermaLink="false" says otherwise (RSS 2.0). */
function permalinkGuid(nodes: unknown): string | undefined {
  const node = first(nodes);
  const text = nodeText(node);
  if (!text || attributesOf(node).isPermaLink === 'false') return undefined;
  return /^https?:\/\//i.test(text) ? text : undefined;
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
function textConstruct(node: unknown): RawText | undefined {
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
  return Object.keys(asRecord(node)).some((key) => key !== '$' && key !== '_');
}

function optionalText(value: unknown): RawText | undefined {
  const text = nodeText(value);
  return text ? { value: text, type: 'html' } : undefined;
}

/** The text of an xml2js node: a string, or the character data (`_`) of an element with attributes. */
function nodeText(node: unknown): string | undefined {
  if (typeof node === 'string') return node.trim() ? node : undefined;
  const text = asRecord(node)._;
  return typeof text === 'string' && text.trim() ? text : undefined;
}

/**
 * Markup of an element with child elements (Atom type="xhtml", unescaped HTML in RSS), re-serialised.
 * xml2js keeps children grouped by name, so sibling order is approximate; every word is kept.
 */
function markupOf(node: unknown): string | undefined {
  const parts: string[] = [];
  const walk = (value: unknown, name: string | null): void => {
    if (typeof value === 'string') {
      parts.push(escapeText(value));
      return;
    }
    if (Array.isArray(value)) {
      for (const v of value) walk(v, name);
      return;
    }
    const record = asRecord(value);
    if (name) parts.push(`<${name}>`);
    for (const [key, child] of Object.entries(record)) {
      if (key === '$') continue;
      if (key === '_') parts.push(escapeText(String(child)));
      else walk(child, key.replace(/^.*:/, ''));
    }
    if (name) parts.push(`</${name}>`);
  };
  walk(node, null);
  const markup = parts.join('').trim();
  return markup || undefined;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The XML attributes of an xml2js node (its `$`). */
function attributesOf(node: unknown): Record<string, string | undefined> {
  return stringRecord(asRecord(node).$);
}

function stringRecord(value: unknown): Record<string, string | undefined> {
  const record: Record<string, string | undefined> = {};
  for (const [key, v] of Object.entries(asRecord(value))) if (typeof v === 'string') record[key] = v;
  return record;
}
