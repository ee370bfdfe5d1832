import iconv from 'iconv-lite';

/** Text of a feed body and the charset it was read with (for diagnostics). */
export interface DecodedBody {
  text: string;
  encoding: string;
}

/**
 * Charsets that real servers mislabel: ISO-8859-1 and ASCII bodies are in practice windows-1252
 * (curly quotes in 0x80-0x9F), and GB2312 text often uses GBK/GB18030 characters (as browsers assume).
 */
const SUPERSETS: Record<string, string> = {
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
};

const BOMS: Array<{ bytes: number[]; encoding: string }> = [
  // UTF-32 before UTF-16: FF FE 00 00 starts with the UTF-16LE BOM.
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf-32le' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf-32be' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
];

/** `<?xml` (or any `<` then a letter) in a wide encoding without a BOM, as XML 1.0 appendix F sniffs it. */
const WIDE_SNIFFS: Array<{ bytes: number[]; encoding: string }> = [
  { bytes: [0x3c, 0x00, 0x00, 0x00], encoding: 'utf-32le' },
  { bytes: [0x00, 0x00, 0x00, 0x3c], encoding: 'utf-32be' },
  { bytes: [0x3c, 0x00], encoding: 'utf-16le' },
  { bytes: [0x00, 0x3c], encoding: 'utf-16be' },
];

/** Decodes a fetched body: BOM, then the HTTP charset, then the XML declaration, then UTF-8 (windows-1252 if that fails). */
export function decodeBody(body: Buffer, contentType?: string): DecodedBody {
  const bom = BOMS.find((b) => startsWith(body, b.bytes));
  // A BOM is unambiguous about the bytes, so it wins over labels that can be stale (as in browsers).
  if (bom) return decodeAs(body.subarray(bom.bytes.length), bom.encoding);

  const wide = WIDE_SNIFFS.find((w) => startsWith(body, w.bytes));
  if (wide) return decodeAs(body, wide.encoding);

  const httpCharset = usableCharset(charsetFromContentType(contentType));
  if (httpCharset) return decodeAs(body, httpCharset);

  const declared = usableCharset(charsetFromDeclaration(body));
  if (declared && !isWide(declared)) {
    // A legacy single-byte declaration over bytes that are valid, non-ASCII UTF-8 is a stale
    // prolog (a CMS that switched to UTF-8): honouring it would turn every accent into mojibake.
    if (isSingleByte(declared) && hasNonAscii(body) && isValidUtf8(body)) return decodeAs(body, 'utf-8');
    return decodeAs(body, declared);
  }
  return isValidUtf8(body) ? decodeAs(body, 'utf-8') : decodeAs(body, 'windows-1252');
}

function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*["']?\s*([^"';\s]+)/i.exec(contentType ?? '');
  return match?.[1];
}

function charsetFromDeclaration(body: Buffer): string | undefined {
  // The declaration is ASCII in every non-wide encoding; look only near the start.
  const head = body.subarray(0, 1024).toString('latin1');
  const match = /<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1];
}

/** The iconv-lite name to use for a label, or undefined for a label nobody can decode (e.g. "bogus"). */
function usableCharset(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const lower = label.toLowerCase();
  const name = SUPERSETS[lower] ?? lower;
  return iconv.encodingExists(name) ? name : undefined;
}

function decodeAs(bytes: Buffer, encoding: string): DecodedBody {
  const text = iconv.decode(bytes, encoding, { stripBOM: true });
  return { text, encoding };
}

function isWide(encoding: string): boolean {
  return /^(utf-?(16|32)|ucs-?2|ucs-?4|unicode$)/.test(encoding);
}

function isSingleByte(encoding: string): boolean {
  return /^(windows-125\d|cp125\d|iso-?8859-\d+|latin\d|koi8-[ru])$/.test(encoding);
}

function hasNonAscii(body: Buffer): boolean {
  return body.some((byte) => byte >= 0x80);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(body: Buffer): boolean {
  try {
    strictUtf8.decode(body);
    return true;
  } catch {
    return false;
  }
}

function startsWith(body: Buffer, bytes: number[]): boolean {
  return body.length >= bytes.length && bytes.every((b, i) => body[i] === b);
}
