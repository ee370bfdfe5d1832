/**
 * The line of each item of a top-level block sequence (`rules:` followed by `- ...` lines), found by
 * scanning the text instead of building a YAML document with positions, which costs about ten times
 * the parse itself. Every rule needs its line (alerts and explanations name it), so this runs on every
 * load. Returns undefined when the text is not in that plain shape (flow style, anchors, a second
 * document...); the caller then asks the full document, and also when the count disagrees with the
 * parsed value, so a wrong answer is never used.
 */
export function blockSequenceItemLines(text: string, key: string): number[] | undefined {
  const header = new RegExp(`^${key}:\\s*(#.*)?\\r?$`);
  // Line by line through the text, without splitting it: a string per line was most of this scan's cost.
  let pos = 0;
  let line = 0;
  for (;;) {
    if (pos > text.length) return undefined;
    const end = lineEnd(text, pos);
    line++;
    const found = header.test(text.slice(pos, end));
    pos = end + 1;
    if (found) break;
  }
  let indent: string | undefined;
  const found: number[] = [];
  for (; pos <= text.length; pos = lineEnd(text, pos) + 1) {
    line++;
    const end = lineEnd(text, pos);
    NON_SPACE.lastIndex = pos;
    // test, not exec: no match object per line.
    const content = NON_SPACE.test(text) ? Math.min(NON_SPACE.lastIndex - 1, end) : end;
    if (content === end || (content === end - 1 && text[content] === '\r') || text[content] === '#') continue;
    const lead = content - pos;
    // A tab in the indentation, or another top-level key or document: not the shape this scan reads.
    if (text.slice(pos, content).includes('\t') || (lead === 0 && text[content] !== '-')) return undefined;
    if (indent === undefined) indent = text.slice(pos, content);
    if (lead > indent.length) continue;
    // An item's content on its dash's line (`- id: x`); a bare `-` puts it on a later line.
    ITEM.lastIndex = content;
    if (lead === indent.length && text.startsWith(indent, pos) && ITEM.test(text) && ITEM.lastIndex <= end) found.push(line);
    else return undefined;
  }
  return found;
}

/** Any character trimStart keeps (the complement of JS whitespace and line ends). */
const NON_SPACE = /\S/g;
/** A dash, space and content: matched from the line's first character, ending on that line. */
const ITEM = /-\s+\S/y;

function lineEnd(text: string, pos: number): number {
  const end = text.indexOf('\n', pos);
  return end < 0 ? text.length : end;
}
