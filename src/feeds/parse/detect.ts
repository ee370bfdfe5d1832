import { FeedParseError } from './errors.js';
import type { FeedFormat } from './feed-document.js';

/** A decoded body, classified by its content (never by URL or Content-Type, which lie). */
export type DetectedBody =
  | { kind: 'json'; text: string }
  | {
      kind: 'xml';
      format: Exclude<FeedFormat, 'json'>;
      xml: string;
      /** Namespace prefix of the root element ("a" for <a:feed>), or '' when it has none. */
      rootPrefix: string;
      rootAttributes: Record<string, string>;
    };

// Characters servers and editors leave before the root element: BOMs, zero-width spaces, NULs.
const INVISIBLE_OR_SPACE = /[\s\uFEFF\u200B-\u200D\u2060\u0000]/;

/** Rejects bytes that are certainly not text before any decoding is attempted. */
export function rejectBinary(body: Buffer): void {
  if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) {
    throw new FeedParseError(
      'not-a-feed',
      'body is gzip-compressed data, not a feed: it was served without (or with a wrong) Content-Encoding header, so it was not decompressed',
    );
  }
}

/** Classifies decoded text as JSON or one of the XML feed formats; throws `empty` or `not-a-feed` otherwise. */
export function detectFormat(text: string): DetectedBody {
  let i = skipInvisible(text, 0);
  if (i >= text.length) throw new FeedParseError('empty', 'body is empty (or only whitespace)');
  if (text[i] === '{') return { kind: 'json', text: text.slice(i) };
  if (text[i] === '[') throw new FeedParseError('not-a-feed', 'body is a JSON array, not a JSON Feed object');

  // Walk the prolog (declaration, comments, doctype, stray text) to the root element; the parser gets the
  // document from the root on, so junk before "<?xml" and any DTD never reach it.
  while (i < text.length) {
    i = skipInvisible(text, i);
    if (text.startsWith('<?', i)) i = after(text, '?>', i);
    else if (text.startsWith('<!--', i)) i = after(text, '-->', i);
    else if (text.startsWith('<!', i)) i = afterDoctype(text, i);
    else if (text[i] === '<' && /[A-Za-z_]/.test(text[i + 1] ?? '')) break;
    else {
      const next = text.indexOf('<', i + 1);
      i = next === -1 ? text.length : next;
    }
  }
  if (i >= text.length) throw new FeedParseError('not-a-feed', 'no XML root element found: the body is neither XML nor JSON');

  const rootTag = /^<([A-Za-z_][\w:.-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>?/.exec(text.slice(i, i + 8192));
  const rootName = rootTag?.[1] ?? '';
  const rootAttributes = parseAttributes(rootTag?.[2] ?? '');
  const rootPrefix = rootName.includes(':') ? rootName.slice(0, rootName.indexOf(':')) : '';
  const localName = rootName.slice(rootPrefix ? rootPrefix.length + 1 : 0).toLowerCase();
  const xml = text.slice(i);
  const found = { kind: 'xml', xml, rootPrefix, rootAttributes } as const;
  switch (localName) {
    case 'rss':
      return { ...found, format: 'rss' };
    case 'rdf':
      return { ...found, format: 'rdf' };
    case 'feed':
      return { ...found, format: 'atom' };
    case 'entry': {
      // An Atom entry document (RFC 4287 section 4.1.2): a feed of one entry.
      const feedTag = rootPrefix ? `${rootPrefix}:feed` : 'feed';
      return { ...found, format: 'atom', xml: `<${feedTag}>${xml}</${feedTag}>` };
    }
    case 'html':
      throw new FeedParseError(
        'not-a-feed',
        "body is an HTML page, not a feed (an error page, or the site's home page instead of its feed URL)",
      );
    case 'channel':
      throw new FeedParseError(
        'not-a-feed',
        'body is a CDF <channel> document (Microsoft Channel Definition Format), which is not supported',
      );
    default:
      throw new FeedParseError('not-a-feed', `XML root element <${rootName}> is not RSS, RDF or Atom`);
  }
}

function skipInvisible(text: string, from: number): number {
  let i = from;
  while (i < text.length && INVISIBLE_OR_SPACE.test(text[i]!)) i++;
  return i;
}

function after(text: string, terminator: string, from: number): number {
  const end = text.indexOf(terminator, from);
  return end === -1 ? text.length : end + terminator.length;
}

/** Skips `<!DOCTYPE ...>` including an internal subset `[...]` whose declarations contain ">". */
function afterDoctype(text: string, from: number): number {
  const open = text.indexOf('[', from);
  const close = text.indexOf('>', from);
  if (open !== -1 && (close === -1 || open < close)) return after(text, '>', after(text, ']', open));
  return close === -1 ? text.length : close + 1;
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const m of source.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes[m[1]!] = m[2] ?? m[3] ?? '';
  }
  return attributes;
}
