import { compileMatcher, type Matcher } from '../../../src/rules/matcher.js';
import { parseQuery } from '../../../src/rules/index.js';
import type { Vocabulary } from '../../../src/rules/vocabulary.js';

export function matcher(query: string, vocabulary: Vocabulary): Matcher {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(`fixture query does not parse: ${query}`);
  return compileMatcher(parsed.ast, vocabulary);
}

/**
 * A rule that throws on every article: 200,000 nested NOTs around `troops` exhaust the stack when
 * evaluated. The parser refuses such queries now, so it is built by hand.
 */
export function stackExhausting(vocabulary: Vocabulary): Matcher {
  let m = matcher('troops', vocabulary);
  for (let i = 0; i < 200_000; i++) m = { kind: 'not', child: m };
  return m;
}
