import { readFileSync } from 'node:fs';
import type { Article } from '../articles/article.js';
import { compileRules, formatExplanation } from '../rules/index.js';
import type { RuleDefinition } from '../rules/rule-set.js';
import { articleFacts, formatFacts } from '../facts/article-facts.js';
import { EXIT } from './exit-codes.js';

export interface TestRuleOptions {
  query?: string;
  rule?: string;
  config?: string;
  article?: string;
  text?: string;
  feed?: string;
  json?: boolean;
}

class UsageError extends Error {}

/** An article from a JSON object with Article fields, or from plain text (first line is the title). */
export function articleFromText(text: string, id = 'text'): Article {
  const now = new Date().toISOString();
  const base: Article = {
    id,
    feedId: 'test',
    title: '',
    link: '',
    summary: '',
    content: '',
    author: '',
    categories: [],
    published: now,
    fetchedAt: now,
  };
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const obj = JSON.parse(trimmed) as Partial<Article>;
    return { ...base, ...obj, categories: Array.isArray(obj.categories) ? obj.categories : [] };
  }
  const [title = '', ...rest] = text.split('\n');
  return { ...base, title: title.trim(), content: rest.join('\n').trim() };
}

/** The article in a file given as --article, or an error that names the file and what is wrong with it. */
export function readArticleFile(path: string, id: string): Article {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`--article ${path}: cannot read it: ${(err as Error).message}`);
  }
  try {
    return articleFromText(text, id);
  } catch (err) {
    throw new Error(`--article ${path}: starts with "{" but is not a JSON article: ${(err as Error).message}`);
  }
}

interface RuleUnderTest {
  definition: RuleDefinition;
  termSets?: ReadonlyMap<string, readonly string[]>;
}

/**
 * The config is read only as far as the test needs it, and its loader (with the schema) imported only
 * then: a query without term sets needs none of it, a query with `@name` needs terms.yaml alone.
 */
async function ruleUnderTest(opts: TestRuleOptions): Promise<RuleUnderTest> {
  if (opts.query !== undefined) {
    const definition = { id: 'query', name: 'query', query: opts.query };
    if (!opts.query.includes('@')) return { definition };
    const [{ formatProblem, loadTermSets }, { configDir }] = await Promise.all([import('../config/load.js'), import('./config-dir.js')]);
    const { termSets, problems } = loadTermSets(configDir(opts.config));
    for (const p of problems) process.stderr.write(`warning: ${formatProblem(p)} (term sets from it are not used)\n`);
    return { definition, termSets };
  }
  const { loadConfigOrReport } = await import('./config-dir.js');
  const config = loadConfigOrReport(opts.config);
  if (!config) throw new UsageError('the config is invalid (see above)');
  const rule = config.ruleById.get(opts.rule!);
  if (!rule) throw new UsageError(`no rule "${opts.rule}" in the config (rules: ${config.rules.map((r) => r.id).join(', ')})`);
  // Feed scoping and max_age are about the live stream; test-rule checks the query itself.
  return {
    definition: { id: rule.id, name: rule.name, query: rule.query, exclude: rule.exclude, stem: rule.stem },
    termSets: config.termSets,
  };
}

async function articles(opts: TestRuleOptions): Promise<Article[]> {
  if (opts.text !== undefined) return [articleFromText(opts.text)];
  if (opts.article) return [readArticleFile(opts.article, 'article')];
  // The fetcher (undici) and the settings defaults are loaded only for --feed.
  const [{ fetchArticlesOnce, fetcherFromSettings }, { settingsSchema }] = await Promise.all([
    import('../feeds/fetch-once.js'),
    import('../config/schema.js'),
  ]);
  return fetchArticlesOnce(fetcherFromSettings(settingsSchema.parse({})), opts.feed!);
}

/** `newswatch test-rule`: exit 0 if anything matched, 1 if nothing did, 2 on a bad query or input. */
export async function testRuleCommand(opts: TestRuleOptions): Promise<number> {
  try {
    if ((opts.query === undefined) === (opts.rule === undefined)) throw new UsageError('give exactly one of --query or --rule');
    const inputs = [opts.article, opts.text, opts.feed].filter((v) => v !== undefined);
    if (inputs.length !== 1) throw new UsageError('give exactly one of --article, --text or --feed');
    const { definition, termSets } = await ruleUnderTest(opts);
    const { ruleSet, errors } = compileRules([definition], { termSets });
    if (errors.length > 0) {
      for (const e of errors) process.stderr.write(`${e.field}: ${e.message}\n${e.display}\n`);
      return EXIT.error;
    }
    let matched = 0;
    const now = Date.now();
    for (const article of await articles(opts)) {
      const match = ruleSet
        .match(article, {
          feedTags: [],
          now,
          onRuleError: ({ error }) => void process.stderr.write(`test-rule: the rule failed on "${article.title}": ${String(error)}\n`),
        })[0]
        ?.explain();
      if (match) matched++;
      const facts = match ? articleFacts(article, match) : [];
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ article: { id: article.id, title: article.title, link: article.link }, matched: Boolean(match), match: match ?? null, facts })}\n`,
        );
      } else {
        process.stdout.write(`${match ? 'MATCH   ' : 'no match'} ${article.title || '(untitled)'}\n`);
        if (match) process.stdout.write(`${formatExplanation(match).replace(/^/gm, '  ')}\n`);
        if (facts.length > 0) process.stdout.write(`  facts: ${formatFacts(facts)}\n`);
      }
    }
    return matched > 0 ? EXIT.ok : EXIT.negative;
  } catch (err) {
    process.stderr.write(`newswatch test-rule: ${(err as Error).message}\n`);
    return EXIT.error;
  }
}
