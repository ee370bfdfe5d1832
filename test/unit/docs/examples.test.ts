import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfig } from '../../../src/config/load.js';
import { compileRules } from '../../../src/rules/index.js';
import { resolveTermSets } from '../../../src/rules/term-sets.js';
import { writeConfigDir } from '../../support/config-dir.js';

/**
 * Every YAML example in README.md and docs/*.md goes through the real config loader, and every query
 * in a docs table headed "Query" through the rule compiler, so the docs cannot drift from the code.
 *
 * A YAML block says what it is in its info string:
 *   ```yaml file=channels.yaml      a whole file of the config directory (rules/x.yaml, settings.yaml...)
 *   ```yaml fragment=channels       items of the `channels:` list (also feeds, rules)
 * The rest of the directory is made up around it: a feed or console channel for each id the example
 * refers to but does not define. Shell blocks are test/unit/docs/command-lines.test.ts's.
 */

const ROOT = join(import.meta.dirname, '../../..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** A value for every variable the examples use, shaped like the real thing (tokens, hashes, URLs). */
const EXAMPLE_ENV: Record<string, string> = {
  NEWSWATCH_WEBHOOK_URL: 'https://hooks.example.org/newswatch',
  NEWSWATCH_EMAIL_TO: 'desk@example.org',
  NEWSWATCH_SMTP_HOST: 'smtp.example.org',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXX',
  DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/abc',
  TEAMS_WEBHOOK_URL: 'https://example.webhook.office.com/workflows/1',
  NTFY_TOPIC: 'newswatch-desk',
  TELEGRAM_BOT_TOKEN: '123456:ABC-def_123',
  ONCALL_EMAIL: 'oncall@example.org',
  SMTP_HOST: 'smtp.example.org',
  DKIM_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----',
  NEWSWATCH_HTTP_TOKEN: 'a-long-enough-bearer-token',
  NEWSWATCH_HTTP_PASSWORD_HASH: `$2b$10$${'a'.repeat(53)}`,
};

interface Example {
  where: string;
  /** The config file it becomes, and its text. */
  file: string;
  text: string;
}

const LIST_FILES: Record<string, string> = { channels: 'channels.yaml', feeds: 'feeds.yaml', rules: 'rules/example.yaml' };

function yamlExamples(doc: string): { examples: Example[]; unmarked: string[] } {
  const examples: Example[] = [];
  const unmarked: string[] = [];
  for (const token of new MarkdownIt().parse(readFileSync(join(ROOT, doc), 'utf8'), {})) {
    if (token.type !== 'fence' || token.info.split(/\s+/)[0] !== 'yaml') continue;
    const where = `${doc}:${(token.map?.[0] ?? 0) + 1}`;
    const file = /\bfile=(\S+)/.exec(token.info)?.[1];
    const fragment = /\bfragment=(\S+)/.exec(token.info)?.[1];
    if (file) examples.push({ where, file, text: token.content });
    else if (fragment && LIST_FILES[fragment]) examples.push({ where, file: LIST_FILES[fragment], text: `${fragment}:\n${token.content}` });
    else unmarked.push(`${where}: \`\`\`${token.info}`);
  }
  return { examples, unmarked };
}

const ids = (list: unknown): string[] =>
  Array.isArray(list) ? list.flatMap((item) => (typeof item?.id === 'string' ? [item.id] : [])) : [];

/** The example's file plus stand-ins for what it refers to, as a config directory's files. */
function configAround(example: Example): Record<string, string> {
  const files: Record<string, string> = { [example.file]: example.text };
  const parsed = (loadYaml(example.text, { schema: CORE_SCHEMA }) ?? {}) as Record<string, unknown>;
  // settings.yaml has a `rules:` section too: only a list is rules.
  const rules = (Array.isArray(parsed.rules) ? parsed.rules : []) as Array<{ channels?: string[]; feeds?: string[] }>;
  const health = (parsed.health as { channels?: string[] } | undefined)?.channels ?? [];
  const channelIds =
    example.file === 'channels.yaml'
      ? ids(parsed.channels)
      : [...new Set(['console', ...rules.flatMap((r) => r.channels ?? []), ...health])];
  if (example.file !== 'channels.yaml')
    files['channels.yaml'] = `channels:\n${channelIds.map((id) => `  - id: ${id}\n    type: console\n`).join('')}`;
  if (example.file !== 'feeds.yaml') {
    const feedIds = [...new Set(['wire', ...rules.flatMap((r) => r.feeds ?? [])])];
    files['feeds.yaml'] = `feeds:\n${feedIds.map((id) => `  - id: ${id}\n    url: https://feeds.example.org/${id}.xml\n`).join('')}`;
  }
  if (!example.file.startsWith('rules/'))
    files['rules/base.yaml'] = `rules:\n  - id: base\n    name: Base\n    query: troops\n    channels: [${channelIds[0]}]\n`;
  return files;
}

const variables = (text: string) => [...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!);

describe('YAML examples in the docs load', () => {
  const all = DOCS.map((doc) => ({ doc, ...yamlExamples(doc) }));

  it('every YAML block says what it is (file=... or fragment=...)', () => {
    expect(all.flatMap((d) => d.unmarked)).toEqual([]);
  });

  it('finds the examples', () => {
    expect(all.flatMap((d) => d.examples).length).toBeGreaterThanOrEqual(20);
  });

  it.each(all.flatMap((d) => d.examples).map((e) => [e.where, e] as const))('%s', (_where, example) => {
    expect(
      variables(example.text).filter((v) => !(v in EXAMPLE_ENV)),
      'give these variables a value in EXAMPLE_ENV',
    ).toEqual([]);
    const result = loadConfig(writeConfigDir(configAround(example)), EXAMPLE_ENV);
    expect(result.ok ? [] : result.errors.map(formatProblem)).toEqual([]);
    if (result.ok) expect(result.config.warnings.map(formatProblem)).toEqual([]);
  });
});

describe('queries in the docs compile', () => {
  const terms = (
    loadYaml(readFileSync(join(ROOT, 'config/terms.yaml'), 'utf8'), { schema: CORE_SCHEMA }) as { terms: Record<string, string[]> }
  ).terms;
  const termSets = resolveTermSets(terms).sets;
  const queries = DOCS.flatMap((doc) => {
    const found: Array<[string, string]> = [];
    const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
    let inQueryTable = false;
    lines.forEach((line, i) => {
      if (/^\|\s*Query\s*\|/.test(line)) inQueryTable = true;
      else if (!line.startsWith('|')) inQueryTable = false;
      else if (inQueryTable && !/^\|\s*-/.test(line)) {
        const cell = line.split(/(?<!\\)\|/)[1] ?? '';
        for (const m of cell.matchAll(/`([^`]+)`/g)) found.push([`${doc}:${i + 1}`, m[1]!.replace(/\\\|/g, '|')]);
      }
    });
    return found;
  });

  it('finds the query tables', () => {
    expect(queries.length).toBeGreaterThanOrEqual(30);
  });

  it.each(queries)('%s: %s', (_where, query) => {
    const { errors } = compileRules([{ id: 'doc', name: 'doc', query }], { termSets });
    expect(errors.map((e) => `${e.message}\n${e.display}`)).toEqual([]);
  });
});
