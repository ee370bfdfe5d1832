import type { Article } from '../articles/article.js';
import { adHocFeedId, fetchArticlesOnce, fetcherFromSettings } from '../feeds/fetch-once.js';
import { formatExplanation } from '../rules/index.js';
import type { RuleFailure, RuleMatch } from '../rules/rule-set.js';
import { loadConfigOrReport } from './config-dir.js';
import { EXIT } from './exit-codes.js';

export function matchRecord(article: Article, match: RuleMatch, ruleName: string, channels: string[]) {
  return {
    rule: { id: match.ruleId, name: ruleName },
    channels,
    article: { id: article.id, feedId: article.feedId, title: article.title, link: article.link, published: article.published },
    matched: match.matched,
    snippet: match.snippet,
  };
}

/**
 * Fetches every feed once in-process and prints what would alert; sends nothing, needs no Redis.
 * Exit 0 when something would alert, 1 when nothing would, 2 when no feed could be fetched.
 */
export async function dryRunCommand(opts: { config?: string; feed?: string[]; json?: boolean }): Promise<number> {
  const config = loadConfigOrReport(opts.config);
  if (!config) return EXIT.error;
  const fetcher = fetcherFromSettings(config.settings);
  const sources = opts.feed?.length
    ? opts.feed.map((url) => ({ id: adHocFeedId(url), url, tags: [] as string[] }))
    : config.feeds.filter((f) => f.enabled);
  const now = Date.now();
  let matches = 0;
  let failedFeeds = 0;
  await Promise.all(
    sources.map(async (source) => {
      let articles: Article[];
      try {
        articles = await fetchArticlesOnce(fetcher, source.url, source.id);
      } catch (err) {
        process.stderr.write(`feed ${source.id}: ${(err as Error).message}\n`);
        failedFeeds++;
        return;
      }
      for (const article of articles) {
        const onRuleError = ({ ruleId, error, count }: RuleFailure) => {
          if (count === 1) process.stderr.write(`rule ${ruleId} failed while matching and is skipped: ${String(error)}\n`);
        };
        for (const hit of config.ruleSet.match(article, { feedTags: source.tags, now, onRuleError })) {
          const match = hit.explain();
          const rule = config.ruleById.get(match.ruleId);
          matches++;
          if (opts.json)
            process.stdout.write(`${JSON.stringify(matchRecord(article, match, rule?.name ?? match.ruleId, rule?.channels ?? []))}\n`);
          else
            process.stdout.write(
              `${article.title}\n  ${article.link}\n  would alert ${rule?.channels.join(', ')}; ${formatExplanation(match)}\n\n`,
            );
        }
      }
    }),
  );
  if (sources.length > 0 && failedFeeds === sources.length) {
    // Nothing was tried against the rules: that is no answer, not a negative one.
    process.stderr.write(`newswatch dry-run: none of the ${sources.length} feed(s) could be fetched (see above): nothing was matched\n`);
    return EXIT.error;
  }
  if (!opts.json)
    process.stdout.write(
      `${matches} alert(s) would be sent from ${sources.length} feed(s)${failedFeeds > 0 ? ` (${failedFeeds} could not be fetched)` : ''}\n`,
    );
  return matches > 0 ? EXIT.ok : EXIT.negative;
}
