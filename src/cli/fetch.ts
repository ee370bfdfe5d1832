import { existsSync } from 'node:fs';
import { formatProblem, loadConfig } from '../config/load.js';
import { settingsSchema, type Settings } from '../config/schema.js';
import type { Article } from '../articles/article.js';
import { FetchError } from '../feeds/fetch/fetch-error.js';
import { adHocFeedId, fetcherFromSettings, fetchFeedOnce } from '../feeds/fetch-once.js';
import { FeedParseError } from '../feeds/parse/index.js';
import { truncate } from '../text/truncate.js';
import { configDir } from './config-dir.js';
import { EXIT } from './exit-codes.js';

interface FetchTarget {
  id: string;
  url: string;
  settings: Settings;
}

class TargetError extends Error {}

/**
 * A configured feed id, else a URL or an existing file. The config is optional for URLs (its fetch
 * settings apply when it loads), required for ids.
 */
function resolveTarget(arg: string, configOption: string | undefined): FetchTarget {
  const dir = configDir(configOption);
  const loaded = loadConfig(dir);
  const config = loaded.ok ? loaded.config : undefined;
  const feed = config?.feedById.get(arg);
  if (feed && config) return { id: feed.id, url: feed.url, settings: config.settings };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg) || existsSync(arg))
    return { id: adHocFeedId(arg), url: arg, settings: config?.settings ?? settingsSchema.parse({}) };
  if (!loaded.ok) {
    const problems = loaded.errors.map((p) => `  ${formatProblem(p)}`).join('\n');
    throw new TargetError(`"${arg}" is not a URL or a file, and the config in ${dir} that might name it is invalid:\n${problems}`);
  }
  const ids = config?.feeds.map((f) => f.id) ?? [];
  throw new TargetError(
    `"${arg}" is not a feed id in ${dir}/feeds.yaml, a URL or an existing file${ids.length > 0 ? ` (feed ids: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''})` : ''}`,
  );
}

/** Text squeezed onto one terminal line of at most `max` characters. */
export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return truncate(line, max);
}

function formatArticle(article: Article, n: number): string {
  const lines = [
    `${n}. ${article.title || '(no title)'}`,
    `   link:      ${article.link || '-'}`,
    `   published: ${article.published}`,
    `   id:        ${article.id}`,
  ];
  if (article.summary) lines.push(`   ${oneLine(article.summary, 200)}`);
  return lines.join('\n');
}

/**
 * `newswatch fetch FEED_ID_OR_URL`: one fetch and parse, no state, no Redis, with what went wrong
 * spelled out. Exit 0 when the feed parsed (even with no items), 2 when it could not be fetched or parsed.
 */
export async function fetchCommand(arg: string, opts: { config?: string; json?: boolean }): Promise<number> {
  let target: FetchTarget;
  try {
    target = resolveTarget(arg, opts.config);
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
    process.stderr.write(`newswatch fetch: ${err.message}\n`);
    return EXIT.error;
  }
  try {
    const once = await fetchFeedOnce(fetcherFromSettings(target.settings), target.url, target.id, target.settings.feeds.max_bytes);
    if (!once) throw new FetchError('http', `${target.url} answered 304 Not Modified to a request without validators`, 304);
    const { fetched: result, feed } = once;
    const about = {
      id: target.id,
      url: target.url,
      finalUrl: result.finalUrl,
      status: result.status,
      contentType: result.contentType ?? null,
      format: feed.format,
      encoding: feed.encoding,
      title: feed.title,
      link: feed.link,
      ttlMinutes: feed.ttlMinutes ?? null,
      movedTo: result.movedTo ?? null,
    };
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ feed: about, articles: feed.articles }, null, 2)}\n`);
      return EXIT.ok;
    }
    const out = [`${feed.title || '(untitled feed)'}: ${feed.format}, ${feed.encoding}, HTTP ${result.status} from ${result.finalUrl}`];
    if (result.movedTo) out.push(`moved permanently to ${result.movedTo}: update the url in feeds.yaml`);
    out.push(`${feed.articles.length} article(s)`, '');
    feed.articles.forEach((a, i) => out.push(formatArticle(a, i + 1), ''));
    process.stdout.write(out.join('\n'));
    return EXIT.ok;
  } catch (err) {
    if (err instanceof FetchError) {
      process.stderr.write(
        `newswatch fetch: ${target.id}: fetch failed (${err.kind}${err.status ? `, HTTP ${err.status}` : ''}): ${err.message}\n`,
      );
      return EXIT.error;
    }
    if (err instanceof FeedParseError) {
      process.stderr.write(`newswatch fetch: ${target.id}: fetched ${target.url} but could not parse it (${err.code}): ${err.message}\n`);
      return EXIT.error;
    }
    throw err;
  }
}
