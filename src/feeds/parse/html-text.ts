import { decodeHTML } from 'entities';

/** Elements whose content a reader never sees. */
const HIDDEN_ELEMENTS = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'svg', 'math']);

/** Elements that separate words; inline ones (b, a, span) must not, or "un<b>usual</b>" would split. */
const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'img',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

// Zero-width and byte-order marks carry no text and break word matching ("Ky\u200Biv").
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
// C0 controls other than whitespace can appear after entity decoding (&#1;) and are never text.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Plain text a reader would see in an HTML fragment: tags and hidden elements dropped, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  // Per hidden element name, where its next closing tag is (-1: none up to the end). `i` only grows, so a
  // search is reused until passed: re-searching for every one of many unclosed "<object>"s was quadratic.
  const nextClose = new Map<string, number>();
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      parts.push(decodeHTML(html.slice(i)));
      break;
    }
    parts.push(decodeHTML(html.slice(i, lt)));
    const tag = readTag(html, lt);
    if (!tag) {
      // A "<" that does not open a tag ("a < b") is text.
      parts.push('<');
      i = lt + 1;
      continue;
    }
    if (tag.name && BLOCK_ELEMENTS.has(tag.name)) parts.push(' ');
    i = tag.end;
    if (tag.name && !tag.closing && !tag.selfClosing && HIDDEN_ELEMENTS.has(tag.name)) {
      let close = nextClose.get(tag.name);
      if (close === undefined || (close !== -1 && close < i)) {
        const closeTag = new RegExp(`</${tag.name}`, 'ig');
        closeTag.lastIndex = i;
        close = closeTag.exec(html)?.index ?? -1;
        nextClose.set(tag.name, close);
      }
      // Never closed: drop only the tag, or one stray "<object>" would hide the rest of the text.
      if (close !== -1) i = close;
    }
  }
  return plainText(parts.join(''));
}

/** Collapses whitespace and removes invisible characters from text that is already plain. */
export function plainText(text: string): string {
  // Most text has none of the characters the first three replacements remove or map.
  const cleaned = UNCLEAN.test(text) ? clean(text) : text;
  return SPACE_TO_COLLAPSE.test(cleaned) ? cleaned.replace(/\s+/g, ' ').trim() : cleaned.trim();
}

function clean(text: string): string {
  return text
    .replace(C1_CONTROL, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80] ?? '')
    .replace(INVISIBLE, '')
    .replace(CONTROL, '');
}

/** Any character that C1_CONTROL, INVISIBLE or CONTROL matches. */
const UNCLEAN = /[\u0080-\u009F\u200B-\u200D\u2060\uFEFF\u00AD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Whitespace that `\s+` -> ' ' would change: a run of two, or one that is not a plain space. */
const SPACE_TO_COLLAPSE = /\s\s|[^\S ]/;

// U+0080-U+009F are never meant as controls in feeds: they are windows-1252 curly quotes, dashes and the
// euro sign that went through a latin-1 decoder ("don\u0092t"). Map them as HTML does for &#146;.
const C1_CONTROL = /[\u0080-\u009F]/g;
const WINDOWS_1252_C1 = [
  '\u20AC',
  '',
  '\u201A',
  '\u0192',
  '\u201E',
  '\u2026',
  '\u2020',
  '\u2021',
  '\u02C6',
  '\u2030',
  '\u0160',
  '\u2039',
  '\u0152',
  '',
  '\u017D',
  '',
  '',
  '\u2018',
  '\u2019',
  '\u201C',
  '\u201D',
  '\u2022',
  '\u2013',
  '\u2014',
  '\u02DC',
  '\u2122',
  '\u0161',
  '\u203A',
  '\u0153',
  '',
  '\u017E',
  '\u0178',
];

interface Tag {
  /** Lower-case element name, or '' for comments, doctypes and processing instructions. */
  name: string;
  closing: boolean;
  selfClosing: boolean;
  /** Index just past the tag. */
  end: number;
}

/** Reads the tag starting at `start` (a "<"), or null when that "<" starts no tag. Linear: one pass, no regex backtracking. */
function readTag(html: string, start: number): Tag | null {
  const next = html[start + 1];
  if (next === '!' && html.startsWith('<!--', start)) {
    const close = html.indexOf('-->', start + 4);
    if (close !== -1) return { name: '', closing: false, selfClosing: true, end: close + 3 };
    // An unterminated comment ends at the next ">", so it cannot swallow the rest of the text.
    const gt = html.indexOf('>', start + 4);
    return { name: '', closing: false, selfClosing: true, end: gt === -1 ? html.length : gt + 1 };
  }
  if (next === '!' || next === '?') {
    const close = html.indexOf('>', start);
    return { name: '', closing: false, selfClosing: true, end: close === -1 ? html.length : close + 1 };
  }
  const closing = next === '/';
  const nameStart = start + (closing ? 2 : 1);
  const nameMatch = /^[A-Za-z][A-Za-z0-9:-]*/.exec(html.slice(nameStart, nameStart + 64));
  if (!nameMatch) return null;
  let quote: string | null = null;
  for (let j = nameStart + nameMatch[0].length; j < html.length; j++) {
    const c = html[j];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return { name: nameMatch[0].toLowerCase(), closing, selfClosing: html[j - 1] === '/', end: j + 1 };
    }
  }
  // An unterminated tag at the end of the fragment: drop it rather than show markup.
  return { name: nameMatch[0].toLowerCase(), closing, selfClosing: true, end: html.length };
}
