/**
 * The line of each item of a top-level block sequence (`rules:` followed by `- ...` lines), found by
 * scanning the text instead of building a YAML document with positions, which costs about ten times
 * the parse itself. Every rule needs its line (alerts and explanations name it), so this runs on every
 * load. Returns undefined when the text is not in that plain shape (flow style, anchors, a second
 * document...); the caller then asks the full document, and also when the count disagrees with the
 * parsed value, so a wrong answer is never used.
 */
export function blockSequenceItemLines(text: string, key: string): number[] | undefined {
  const lines = text.split('\n');
  const header = new RegExp(`^${key}:\\s*(#.*)?\\r?$`);
  const start = lines.findIndex((line) => header.test(line));
  if (start < 0) return undefined;
  let indent: string | undefined;
  const found: number[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const content = line.trimStart();
    if (content === '' || content === '\r' || content.startsWith('#')) continue;
    const lead = line.slice(0, line.length - content.length);
    // A tab in the indentation, or another top-level key or document: not the shape this scan reads.
    if (lead.includes('\t') || (lead === '' && !content.startsWith('-'))) return undefined;
    if (indent === undefined) indent = lead;
    if (lead.length > indent.length) continue;
    // An item's content on its dash's line (`- id: x`); a bare `-` puts it on a later line.
    if (lead === indent && /^-\s+\S/.test(content)) found.push(i + 1);
    else return undefined;
  }
  return found;
}
