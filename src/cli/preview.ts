import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RenderedMessage } from '../alerts/channels/channel.js';
import { createChannel } from '../alerts/channels/index.js';
import type { Message } from '../alerts/message.js';
import type { RuleConfig } from '../config/schema.js';
import { articleFacts } from '../facts/article-facts.js';
import type { Article } from '../articles/article.js';
import { fetchArticlesOnce, fetcherFromSettings } from '../feeds/fetch-once.js';
import { maskUrl } from '../log/logger.js';
import { compileRules } from '../rules/index.js';
import { loadConfigOrReport } from './config-dir.js';
import { EXIT } from './exit-codes.js';
import { readArticleFile } from './test-rule.js';

export interface PreviewOptions {
  config?: string;
  rule?: string;
  channel?: string;
  article?: string;
  feed?: string;
  out?: string;
}

const DEFAULT_OUT = 'newswatch-preview';

class UsageError extends Error {}

/** What a rendering is written as: email HTML and text for a browser and an editor, chat payloads as JSON. */
function files(rendered: RenderedMessage): Array<{ ext: string; text: string }> {
  switch (rendered.kind) {
    case 'email':
      return [
        { ext: 'html', text: rendered.html },
        { ext: 'txt', text: `Subject: ${rendered.subject}\n\n${rendered.text}` },
      ];
    case 'text':
      return [{ ext: 'txt', text: rendered.text }];
    case 'http': {
      // The URL path and tokens are secrets for most presets: show where, not how.
      const headers = Object.fromEntries(
        Object.entries(rendered.headers).map(([k, v]) => [k, /^authorization$/i.test(k) ? '(hidden)' : v]),
      );
      const body = rendered.contentType.startsWith('application/json') ? JSON.parse(rendered.body) : rendered.body;
      return [
        {
          ext: 'json',
          text: `${JSON.stringify({ method: 'POST', url: maskUrl(rendered.url), contentType: rendered.contentType, headers, body }, null, 2)}\n`,
        },
      ];
    }
  }
}

async function inputArticles(
  opts: PreviewOptions,
  config: NonNullable<ReturnType<typeof loadConfigOrReport>>,
): Promise<Article[] | undefined> {
  if (opts.article) return [readArticleFile(opts.article, 'preview-article')];
  if (opts.feed) return fetchArticlesOnce(fetcherFromSettings(config.settings), opts.feed);
  return undefined;
}

/** A made-up article for a rule when none is given: its name as the headline, its query as the text. */
function sampleArticle(rule: RuleConfig, now: Date): Article {
  const at = new Date(now.getTime() - 12 * 60_000).toISOString();
  return {
    id: `sample-${rule.id}`,
    feedId: 'sample',
    feedTitle: 'Sample feed',
    title: `Sample article for "${rule.name}"`,
    link: 'https://news.example/sample',
    summary: `newswatch preview made this article up: give --article FILE or --feed URL to render a real one. The rule's query is ${rule.query}`,
    content: '',
    author: '',
    categories: [],
    published: at,
    fetchedAt: at,
  };
}

/**
 * `newswatch preview`: renders what each channel of a rule would send for a matching article, without
 * sending anything. Exit 0 when something was rendered, 1 when no given article matched, 2 on bad input.
 */
export async function previewCommand(opts: PreviewOptions): Promise<number> {
  const config = loadConfigOrReport(opts.config);
  if (!config) return EXIT.error;
  try {
    if (opts.article && opts.feed) throw new UsageError('give at most one of --article and --feed');
    const rules = opts.rule ? config.rules.filter((r) => r.id === opts.rule) : config.rules.filter((r) => r.enabled);
    if (opts.rule && rules.length === 0)
      throw new UsageError(`no rule "${opts.rule}" in the config (rules: ${config.rules.map((r) => r.id).join(', ')})`);
    if (opts.channel && !config.channels.some((c) => c.id === opts.channel)) {
      throw new UsageError(`no channel "${opts.channel}" in the config (channels: ${config.channels.map((c) => c.id).join(', ')})`);
    }
    const articles = await inputArticles(opts, config);
    const now = new Date();
    const out = resolve(opts.out ?? DEFAULT_OUT);
    mkdirSync(out, { recursive: true });
    const env = {
      timeoutMs: config.settings.delivery.timeout,
      view: { timezone: config.settings.alerts.timezone, publicUrl: config.settings.http.public_url, now: () => now },
    };
    let rendered = 0;
    for (const rule of rules) {
      const message = alertFor(rule, articles, config.termSets, now);
      if (!message) {
        process.stdout.write(`${rule.id}: no given article matches\n`);
        continue;
      }
      const channelIds = opts.channel ? [opts.channel] : rule.channels;
      for (const channelConfig of config.channels.filter((c) => channelIds.includes(c.id))) {
        const channel = createChannel(channelConfig, env);
        for (const { ext, text } of files(channel.render(message))) {
          const path = join(out, `${rule.id}.${channel.id}.${ext}`);
          writeFileSync(path, text);
          process.stdout.write(`${path}\n`);
        }
        await channel.close?.();
        rendered++;
      }
    }
    return rendered > 0 ? EXIT.ok : EXIT.negative;
  } catch (err) {
    process.stderr.write(`newswatch preview: ${(err as Error).message}\n`);
    return EXIT.error;
  }
}

/** The alert the rule would raise for the first given article it matches (or for a sample article). */
function alertFor(
  rule: RuleConfig,
  articles: Article[] | undefined,
  termSets: ReadonlyMap<string, readonly string[]> | undefined,
  now: Date,
): Message | undefined {
  const { ruleSet, errors } = compileRules([{ id: rule.id, name: rule.name, query: rule.query, exclude: rule.exclude, stem: rule.stem }], {
    termSets,
  });
  if (errors.length > 0) throw new UsageError(`rule ${rule.id}: ${errors[0]!.message}`);
  const candidates = articles ?? [sampleArticle(rule, now)];
  for (const article of candidates) {
    const match = ruleSet.match(article, { feedTags: [], now: now.getTime() })[0]?.explain();
    const sample = articles === undefined;
    if (!match && !sample) continue;
    const found = match ?? { ruleId: rule.id, matched: [], terms: [], snippet: article.summary };
    return {
      kind: 'alert',
      alert: {
        alertId: `preview-${rule.id}`,
        event: 'alert.matched',
        rule: { id: rule.id, name: rule.name, severity: rule.severity, labels: rule.labels },
        channels: rule.channels,
        article,
        match: found,
        matchedAt: now.toISOString(),
        facts: articleFacts(article, found),
      },
    };
  }
  return undefined;
}
