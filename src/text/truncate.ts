/**
 * The one way newswatch shortens text: whole grapheme clusters only (an emoji, a flag, a Korean syllable
 * or a letter with its combining marks is never split), measured in the unit of the limit it must meet.
 * Receivers count differently (Slack and Discord in characters, ntfy in bytes, mail subjects in UTF-16
 * units), and a limit may apply to text after escaping: `measure` says how much one grapheme costs.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The grapheme clusters of a text, in order. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** What one grapheme (or the ellipsis) costs against a limit. */
export type Measure = (text: string) => number;

export const measures = {
  /** What a person sees as one character. */
  graphemes: (text: string) => graphemes(text).length,
  /** Code points: how Discord, Slack and Telegram count characters. */
  codePoints: (text: string) => [...text].length,
  /** UTF-16 code units: JavaScript's `length`, the strictest character count. */
  utf16: (text: string) => text.length,
  /** Bytes on the wire (ntfy, HTTP headers). */
  utf8: (text: string) => Buffer.byteLength(text, 'utf8'),
} satisfies Record<string, Measure>;

export interface TruncateOptions {
  /** Default: graphemes. */
  measure?: Measure;
  /** Appended when text is cut, and counted in the limit. Default "…". */
  ellipsis?: string;
  /** Cut at the last space when that keeps at least half the text (summaries, headlines). */
  atWord?: boolean;
}

/**
 * `text` when it fits in `max`; otherwise its longest grapheme prefix that fits together with the
 * ellipsis. `measure` is applied per grapheme, so a measure that escapes (`g => escape(g).length`)
 * bounds the escaped text and the cut never falls inside an entity: escape after truncating.
 */
export function truncate(text: string, max: number, options: TruncateOptions = {}): string {
  const { measure = measures.graphemes, ellipsis = '…', atWord = false } = options;
  if (max <= 0) return '';
  const budget = max - measure(ellipsis);
  const kept: string[] = [];
  let used = 0;
  let fits = true;
  for (const { segment } of segmenter.segment(text)) {
    const cost = measure(segment);
    if (used + cost > max) {
      fits = false;
      break;
    }
    used += cost;
    kept.push(segment);
  }
  if (fits) return text;
  if (budget < 0) return '';
  // Drop graphemes until the ellipsis fits too.
  let length = used;
  while (kept.length > 0 && length > budget) length -= measure(kept.pop()!);
  let cut = kept.join('');
  if (atWord) {
    const space = cut.lastIndexOf(' ');
    if (space > cut.length / 2) cut = cut.slice(0, space);
  }
  return `${cut.trimEnd()}${ellipsis}`;
}
