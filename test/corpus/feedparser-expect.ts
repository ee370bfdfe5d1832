/**
 * Translates the parts of feedparser's `Expect:` Python expressions that map onto our ParsedFeed/Article
 * into checks. Everything else in an expression (bozo flags, encodings, feedparser-only keys, other
 * entries than the first) is ignored: it says nothing about fields we have.
 */

/** The fields of our output a feedparser key maps onto. */
type CheckedField =
  | 'feed.title'
  | 'feed.link'
  | 'entry.title'
  | 'entry.link'
  | 'entry.summary'
  | 'entry.content'
  | 'entry.author'
  | 'entry.category'
  | 'entry.published';

export type Check =
  | { field: Exclude<CheckedField, 'entry.published'>; expected: string }
  | { field: 'entry.published'; expected: [number, number, number, number, number, number] };

const FIELD_BY_KEY: Record<string, CheckedField> = {
  'feed.title': 'feed.title',
  'feed.title_detail.value': 'feed.title',
  'feed.link': 'feed.link',
  'entry.title': 'entry.title',
  'entry.title_detail.value': 'entry.title',
  'entry.link': 'entry.link',
  'entry.description': 'entry.summary',
  'entry.summary': 'entry.summary',
  'entry.summary_detail.value': 'entry.summary',
  'entry.content.0.value': 'entry.content',
  'entry.author': 'entry.author',
  'entry.tags.0.term': 'entry.category',
  'entry.published_parsed': 'entry.published',
  'entry.updated_parsed': 'entry.published',
};

/** The checks an expression implies; empty when nothing in it maps onto our fields. */
export function translateExpect(expression: string): Check[] {
  const checks: Check[] = [];
  for (const clause of splitTopLevel(expression, ' and ')) {
    const check = translateClause(stripParens(clause.trim()));
    if (check) checks.push(check);
  }
  return checks;
}

function translateClause(clause: string): Check | undefined {
  const m = /^(feed|entries\[0\])((?:\[[^\]]+\]|\.[A-Za-z_]+)*)\s*==\s*(.+)$/s.exec(clause);
  if (!m) return undefined;
  const keys = [...m[2]!.matchAll(/\[([^\]]+)\]|\.([A-Za-z_]+)/g)].map((k) => (k[2] ?? k[1]!).replace(/^['"]|['"]$/g, ''));
  const field = FIELD_BY_KEY[[m[1] === 'feed' ? 'feed' : 'entry', ...keys].join('.')];
  if (!field) return undefined;
  const rhs = m[3]!.trim();
  if (field === 'entry.published') {
    const tuple = /^\((\d+), (\d+), (\d+), (\d+), (\d+), (\d+),/.exec(rhs);
    if (!tuple) return undefined;
    const parts = tuple.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    return { field, expected: parts };
  }
  const expected = pythonStringConcat(rhs);
  return expected === undefined ? undefined : { field, expected };
}

/** `'a' + "b"` -> "ab"; undefined for anything that is not string literals joined by "+". */
function pythonStringConcat(source: string): string | undefined {
  let rest = source.trim();
  let out = '';
  for (;;) {
    const literal = /^[uU]?(['"])((?:\\.|(?!\1).)*)\1/s.exec(rest);
    if (!literal) return undefined;
    out += unescapePython(literal[2]!);
    rest = rest.slice(literal[0].length).trim();
    if (!rest) return out;
    if (!rest.startsWith('+')) return undefined;
    rest = rest.slice(1).trim();
  }
}

function unescapePython(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/gs, (_, esc: string) => {
    switch (esc[0]) {
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      default:
        return esc;
    }
  });
}

/** Splits on a separator that is outside quotes and brackets. */
function splitTopLevel(source: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && source.startsWith(separator, i)) {
      parts.push(source.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

function stripParens(clause: string): string {
  return clause.startsWith('(') && clause.endsWith(')') && splitTopLevel(clause.slice(1, -1), ' and ').length === 1
    ? clause.slice(1, -1).trim()
    : clause;
}
