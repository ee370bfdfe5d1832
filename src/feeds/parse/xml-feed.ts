import Parser from 'rss-parser';
import { atomAdapter } from './atom.js';
import { FeedParseError } from './errors.js';
import type { FeedFormat, RawFeed } from './feed-document.js';
import { rdfAdapter } from './rdf.js';
import { rssAdapter } from './rss.js';
import type { XmlFeedAdapter } from './xml-adapter.js';
import {
  asRecord,
  first,
  isRecord,
  NAME,
  nodeText,
  optionalText,
  ORDERED,
  stringRecord,
  TEXT_NODE,
  textConstruct,
  type XmlOutput,
} from './xml-nodes.js';
import { closeTruncatedDocument } from './xml-repair.js';

/**
 * The one runner for the XML formats: rss-parser reads RSS 0.9x/2.0, RDF (RSS 1.0/0.90) and Atom 0.3/1.0,
 * and the format's adapter (rss.ts, rdf.ts, atom.ts) turns what it read into a RawFeed.
 *
 * rss-parser flattens away what normalisation needs (xml:base, Atom text types, Atom 0.3 dates, Atom
 * categories), so the raw xml2js nodes are requested as custom fields and read by the adapters. Its Atom
 * builder also throws on an unparseable <published>/<updated> (`new Date(x).toISOString()`), so those
 * elements are renamed while parsing and read raw instead.
 */

type XmlFormat = Exclude<FeedFormat, 'json'>;

const ADAPTERS: Record<XmlFormat, XmlFeedAdapter> = { rss: rssAdapter, rdf: rdfAdapter, atom: atomAdapter };

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
  let output: XmlOutput;
  try {
    output = await runRssParser(document.xml, { strict: true, prefixes });
  } catch (strictError) {
    if (!isXmlSyntaxError(strictError)) throw asParseError(strictError);
    try {
      output = await runRssParser(document.xml, { strict: false, prefixes });
    } catch (lenientError) {
      const completed = isXmlSyntaxError(lenientError) ? closeTruncatedDocument(document.xml) : undefined;
      if (completed === undefined) throw asParseError(isXmlSyntaxError(lenientError) ? strictError : lenientError);
      try {
        output = await runRssParser(completed, { strict: false, prefixes });
      } catch {
        throw asParseError(strictError);
      }
    }
  }
  return toRawFeed(output, document.format);
}

/**
 * Prefixes that mean "this format's own element" (<r:rss>, <a:entry>, <rss:item>), lower-cased with their
 * colon.
 */
function ownPrefixes({ format, rootPrefix, rootAttributes }: XmlDocument): string[] {
  const adapter = ADAPTERS[format];
  const prefixes = Object.entries(rootAttributes)
    .filter(([name, uri]) => name.startsWith('xmlns:') && adapter.namespaces.includes(uri))
    .map(([name]) => name.slice('xmlns:'.length));
  if (rootPrefix && adapter.rootPrefixIsOwn) prefixes.push(rootPrefix);
  return prefixes.map((p) => `${p.toLowerCase()}:`);
}

interface XmlParseMode {
  /** sax strict mode; lenient mode accepts HTML entities, bare "&" and bad nesting but upper-cases names. */
  strict: boolean;
  prefixes: string[];
}

async function runRssParser(xml: string, { strict, prefixes }: XmlParseMode): Promise<XmlOutput> {
  // xml2js asks for every element's name: a feed repeats a few dozen names, so each is worked out once.
  const renamed = new Map<string, string>();
  const renameTag = (name: string): string => {
    let result = renamed.get(name);
    if (result === undefined) {
      result = canonicalTag(name);
      renamed.set(name, result);
    }
    return result;
  };
  const canonicalTag = (name: string): string => {
    let canonical = strict ? name : (CANONICAL_NAMES.get(name.toLowerCase()) ?? name.toLowerCase());
    const prefix = prefixes.find((p) => canonical.toLowerCase().startsWith(p));
    if (prefix) canonical = canonical.slice(prefix.length);
    // Any prefix for the RDF root ("RDF:RDF", bare "rdf") is the RDF root to rss-parser.
    if (/^(?:[\w-]+:)?RDF$/i.test(canonical)) return 'rdf:RDF';
    return RENAMED_DATE_TAGS[canonical] ?? canonical;
  };
  const renameAttribute = (name: string): string => (strict ? name : (CANONICAL_NAMES.get(name.toLowerCase()) ?? name.toLowerCase()));
  // A new Parser per parse: its xml2js parser keeps state and is not reusable.
  const parser = new RepairingParser({
    defaultRSS: 2,
    xml2js: {
      strict,
      tagNameProcessors: [renameTag],
      attrNameProcessors: [renameAttribute],
      // xml2js groups children by name and joins an element's own text, so "Kim &amp; <i>Putin</i> meet"
      // would read "Kim &  meet" + "Putin". These keep every child, text included, in document order
      // (`$$`); `restoreXml2jsShape` then gives rss-parser the usual shape back.
      explicitChildren: true,
      preserveChildrenOrder: true,
      charsAsChildren: true,
      includeWhiteChars: true,
    },
    customFields: { feed: FEED_FIELDS as never, item: ITEM_FIELDS as never },
  });
  return (await parser.parseString(xml)) as unknown as XmlOutput;
}

/**
 * rss-parser dereferences without checking: rss.channel[0], rdf.channel[0], and link.$.rel on Atom links.
 * This subclass has each format's adapter repair the parsed document before its builders run, once per
 * parse (an xml2js `validator` would do it per element, but xml2js rebuilds the element path for each
 * call: quadratic in depth).
 */
class RepairingParser extends Parser {}
{
  const builders = Parser.prototype as unknown as Record<string, (this: Parser, document: unknown) => unknown>;
  const repaired = RepairingParser.prototype as unknown as Record<string, (this: Parser, document: unknown) => unknown>;
  for (const adapter of Object.values(ADAPTERS)) {
    for (const builder of adapter.builders) {
      const original = builders[builder];
      if (typeof original !== 'function') throw new Error(`rss-parser has no ${builder}: its internals changed, update xml-feed.ts`);
      repaired[builder] = function (this: Parser, document: unknown) {
        const record = asRecord(restoreXml2jsShape(document));
        record[adapter.rootKey] = adapter.repairRoot(record[adapter.rootKey]);
        return original.call(this, record);
      };
    }
  }
}

/**
 * The document as xml2js builds it without the ordered-children options, except that elements with child
 * elements keep their ordered children (`$$`) for the adapters' markup: text-only elements become strings
 * again, and whitespace-only text is dropped, as the plain options do. One pass, after parsing.
 */
function restoreXml2jsShape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(restoreXml2jsShape);
  if (!isRecord(node)) return node;
  const ordered = node[ORDERED];
  delete node[NAME];
  delete node[ORDERED];
  for (const key in node) {
    if (key !== '$' && key !== '_') node[key] = restoreXml2jsShape(node[key]);
  }
  // Hidden from rss-parser (its xml2js Builder would serialise it): copies of the children, in order, for the markup.
  if (Array.isArray(ordered) && ordered.some((child) => asRecord(child)[NAME] !== TEXT_NODE)) {
    Object.defineProperty(node, ORDERED, { value: ordered, enumerable: false });
  }
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === '_') return node._;
  return keys.length === 0 ? '' : node;
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

/** The feed-level fields every XML format shares; the link and the entries are the adapter's. */
function toRawFeed(output: XmlOutput, format: XmlFormat): RawFeed {
  const adapter = ADAPTERS[format];
  const attributes = stringRecord(output.attributes);
  const items = Array.isArray(output.items) ? (output.items as XmlOutput[]) : [];
  return {
    format,
    title: textConstruct(first(output.titleNodes)) ?? optionalText(output.title),
    link: adapter.feedLink(output),
    base: attributes['xml:base'],
    lang: attributes['xml:lang'] ?? nodeText(output.language) ?? nodeText(output.dcLanguage),
    ttl: nodeText(output.ttl),
    entries: items.map((item) => adapter.entry(item)),
  };
}
