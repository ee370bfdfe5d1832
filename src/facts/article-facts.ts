import type { Article } from '../articles/article.js';
import type { RuleMatch } from '../rules/rule-set.js';
import { extractFacts, type Fact } from './extract-facts.js';

/** Facts of a matched article: figures and places in the sentences holding the words the rule matched. */
export function articleFacts(article: Pick<Article, 'title' | 'summary' | 'content'>, match: Pick<RuleMatch, 'terms'>): Fact[] {
  const body = article.content.startsWith(article.summary) ? article.content : `${article.summary}\n${article.content}`;
  const near = match.terms.flatMap((t) => t.words);
  return extractFacts(`${article.title}\n${body}`, { near });
}

/** One line for people: `4,000 more soldiers · 6,000 military construction troops · Kursk`. */
export function formatFacts(facts: readonly Fact[]): string {
  return facts.map((f) => (f.kind === 'figure' ? f.text : f.place)).join(' · ');
}
