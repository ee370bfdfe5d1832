/**
 * Completes a truncated XML document (a connection cut mid-body, a size cap, a crashed generator) so the
 * complete items before the cut can still be read. An item cut in half is dropped rather than repaired:
 * its id could come from a guid that was cut off, and half an article would alert as a whole one.
 * Returns undefined when the document does not look truncated.
 */
export function closeTruncatedDocument(xml: string): string | undefined {
  let text = xml;
  const lastOpen = text.lastIndexOf('<');
  if (lastOpen > text.lastIndexOf('>')) text = text.slice(0, lastOpen);
  const { open, cutAt } = openElements(text);
  if (open.length === 0) return undefined;
  text = text.slice(0, cutAt);
  const itemIndex = open.findIndex((element) => /^(?:[\w-]+:)?(?:item|entry)$/i.test(element.name));
  const kept = itemIndex === -1 ? open : open.slice(0, itemIndex);
  if (itemIndex !== -1) text = text.slice(0, open[itemIndex]!.start);
  return (
    text +
    kept
      .map((element) => `</${element.name}>`)
      .reverse()
      .join('')
  );
}

interface OpenElement {
  name: string;
  start: number;
}

/**
 * The elements still open at the end of `xml`, outermost first, and where the complete markup ends (before
 * a comment or CDATA section that the cut left open). One linear pass: `[^>]*` cannot backtrack far because
 * the caller removed any "<" after the last ">".
 */
function openElements(xml: string): { open: OpenElement[]; cutAt: number } {
  const stack: OpenElement[] = [];
  const token = /<!--|<!\[CDATA\[|<[?!]|<(\/?)([A-Za-z_][\w:.-]*)([^>]*)>/g;
  let m: RegExpExecArray | null;
  while ((m = token.exec(xml))) {
    const skipTo = m[0] === '<!--' ? '-->' : m[0] === '<![CDATA[' ? ']]>' : m[0].length === 2 ? '>' : undefined;
    if (skipTo) {
      const end = xml.indexOf(skipTo, token.lastIndex);
      if (end === -1) return { open: stack, cutAt: m.index };
      token.lastIndex = end + skipTo.length;
      continue;
    }
    const name = m[2]!;
    if (m[3]!.endsWith('/')) continue; // <empty/>
    if (!m[1]) {
      stack.push({ name, start: m.index });
      continue;
    }
    const match = stack.map((e) => e.name).lastIndexOf(name);
    if (match !== -1) stack.length = match;
  }
  return { open: stack, cutAt: xml.length };
}
