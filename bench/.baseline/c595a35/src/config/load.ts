import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Document, isScalar, LineCounter, parseDocument, visit, type Node } from 'yaml';
import type { z } from 'zod';
import { compileRules, compileRulesInSlices } from '../rules/index.js';
import type { CompileResult, RuleDefinition, RuleSet } from '../rules/rule-set.js';
import { interpolate } from './interpolate.js';
import {
  channelSchema,
  feedSchema,
  ruleSchema,
  channelsFileSchema,
  feedsFileSchema,
  rulesFileSchema,
  settingsSchema,
  type ChannelConfig,
  type FeedConfig,
  type RuleConfig,
  type Settings,
} from './schema.js';

export interface ConfigProblem {
  /** Path relative to the config directory, e.g. `rules/korea.yaml`. */
  file: string;
  line: number;
  /** Path inside the file, e.g. `rules[2].channels[0]`; empty for the whole file. */
  path: string;
  message: string;
}

export interface Config {
  dir: string;
  feeds: FeedConfig[];
  /** Usable channels: enabled and with every required value present. */
  channels: ChannelConfig[];
  rules: RuleConfig[];
  settings: Settings;
  /** Every enabled, valid rule compiled into one matcher. */
  ruleSet: RuleSet;
  /** Feeds and rules by id: workers look one up per job, and there may be 10,000 of them. */
  feedById: ReadonlyMap<string, FeedConfig>;
  ruleById: ReadonlyMap<string, RuleConfig>;
  /** Not errors, but worth one log line each (e.g. a channel disabled by a missing env var). */
  warnings: ConfigProblem[];
}

export type LoadResult = { ok: true; config: Config } | { ok: false; errors: ConfigProblem[] };

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}${p.path ? ` ${p.path}` : ''}: ${p.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

/** One parsed YAML file that can answer "which line is this path on?". */
class SourceFile {
  readonly problems: ConfigProblem[] = [];
  /** Paths whose value came out empty because an env var was unset, with the variables. */
  readonly missingEnv = new Map<string, string[]>();
  private readonly lines = new LineCounter();
  private readonly doc: Document.Parsed;

  constructor(
    readonly name: string,
    text: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    for (const err of this.doc.errors) {
      this.problems.push({ file: name, line: this.lineAt(err.pos[0]), path: '', message: `YAML: ${err.message.split('\n')[0]}` });
    }
    visit(this.doc, {
      Scalar: (_key, node, ancestry) => {
        if (typeof node.value !== 'string' || !node.value.includes('${')) return;
        const result = interpolate(node.value, env);
        node.value = result.value;
        if (result.missing.length > 0) this.missingEnv.set(formatPath(this.pathOf(ancestry, node)), result.missing);
      },
    });
  }

  get data(): unknown {
    return this.problems.length > 0 ? undefined : (this.doc.toJS() ?? {});
  }

  lineOf(path: readonly PropertyKey[]): number {
    for (let len = path.length; len >= 0; len--) {
      const node = this.doc.getIn(path.slice(0, len) as unknown[], true) as Node | undefined;
      if (node && typeof node === 'object' && 'range' in node && node.range) return this.lineAt(node.range[0]);
    }
    return 1;
  }

  problem(path: readonly PropertyKey[], message: string): ConfigProblem {
    return { file: this.name, line: this.lineOf(path), path: formatPath(path), message };
  }

  validate<S extends z.ZodType>(schema: S, data: unknown, at: readonly PropertyKey[] = []): z.output<S> | undefined {
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const path = [...at, ...issue.path];
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      if (keys.length > 0) {
        for (const key of keys) this.problems.push(this.problem([...path, key], `unknown key "${key}"${suggestKey(key)}`));
      } else {
        this.problems.push(this.problem(path, issue.message));
      }
    }
    return undefined;
  }

  private lineAt(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  private pathOf(ancestry: readonly unknown[], node: unknown): PropertyKey[] {
    const path: PropertyKey[] = [];
    const chain = [...ancestry, node];
    for (let i = 1; i < chain.length; i++) {
      const parent = chain[i - 1] as { items?: unknown[] };
      const item = chain[i] as { key?: unknown };
      if (Array.isArray(parent.items)) {
        const index = parent.items.indexOf(item);
        // In a map the ancestry passes through a Pair whose key names the step; in a sequence the index does.
        if (index >= 0 && !(item && typeof item === 'object' && 'key' in item)) path.push(index);
      }
      if (item && typeof item === 'object' && 'key' in item && isScalar(item.key)) path.push(String(item.key.value));
    }
    return path;
  }
}

/** Every key the schemas know, for "did you mean" hints on typos. */
const KNOWN_KEYS = [
  ...[feedSchema, ruleSchema, settingsSchema, ...channelSchema.options].flatMap((schema) => Object.keys(schema.shape)),
  ...Object.values(settingsSchema.shape).flatMap((field) => Object.keys((field as { unwrap?: () => { shape?: object } }).unwrap?.().shape ?? {})),
];

function suggestKey(key: string): string {
  const close = KNOWN_KEYS.find((k) => k !== key && editDistance(k, key) <= 2);
  return close ? ` (did you mean "${close}"?)` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function readSource(dir: string, name: string, env: NodeJS.ProcessEnv, required: boolean, problems: ConfigProblem[]): SourceFile | undefined {
  const full = join(dir, name);
  if (!existsSync(full)) {
    if (required) problems.push({ file: name, line: 1, path: '', message: `missing: create ${full} (see README "Configuration")` });
    return undefined;
  }
  try {
    return new SourceFile(name, readFileSync(full, 'utf8'), env);
  } catch (err) {
    problems.push({ file: name, line: 1, path: '', message: `cannot read: ${(err as Error).message}` });
    return undefined;
  }
}

/** Tracks ids across files so a duplicate names where the first one was defined. */
class IdRegistry {
  private readonly seen = new Map<string, string>();
  constructor(private readonly kind: string) {}
  claim(id: string, src: SourceFile, path: PropertyKey[]): ConfigProblem | undefined {
    const where = `${src.name}:${src.lineOf(path)}`;
    const first = this.seen.get(id);
    if (first) return src.problem([...path, 'id'], `duplicate ${this.kind} id "${id}" (first defined at ${first})`);
    this.seen.set(id, where);
    return undefined;
  }
  has(id: string): boolean {
    return this.seen.has(id);
  }
}

/**
 * Reads and validates a config directory. Never throws for bad content: every problem is returned
 * with file, line and path, so an operator can fix them all in one go.
 */
export function loadConfig(dir: string, env: NodeJS.ProcessEnv = process.env): LoadResult {
  const read = readConfig(dir, env);
  return 'finish' in read ? read.finish(compileRules(read.rules)) : read;
}

/**
 * The same, compiling the rules in slices that yield to the event loop: with 100,000 rules a compile
 * takes seconds, and a hot reload must not stall matching (or BullMQ's lock renewals) meanwhile.
 */
export async function loadConfigWithoutBlocking(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadResult> {
  const read = readConfig(dir, env);
  return 'finish' in read ? read.finish(await compileRulesInSlices(read.rules)) : read;
}

/** Everything but the rule compilation, which the caller runs (at once or in slices) and hands to `finish`. */
interface ReadConfig {
  rules: RuleDefinition[];
  finish(compiled: CompileResult): LoadResult;
}

function readConfig(dir: string, env: NodeJS.ProcessEnv): LoadResult | ReadConfig {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  if (!existsSync(dir)) {
    return { ok: false, errors: [{ file: dir, line: 1, path: '', message: 'config directory does not exist (use --config DIR or NEWSWATCH_CONFIG)' }] };
  }

  const settingsSrc = readSource(dir, 'settings.yaml', env, false, problems);
  const settings = settingsSrc ? settingsSrc.validate(settingsSchema, settingsSrc.data) : settingsSchema.parse({});

  const feeds: FeedConfig[] = [];
  const feedIds = new IdRegistry('feed');
  const feedsSrc = readSource(dir, 'feeds.yaml', env, true, problems);
  if (feedsSrc && feedsSrc.problems.length === 0) {
    const file = feedsSrc.validate(feedsFileSchema, feedsSrc.data);
    file?.feeds.forEach((feed, i) => {
      const dup = feedIds.claim(feed.id, feedsSrc, ['feeds', i]);
      if (dup) feedsSrc.problems.push(dup);
      for (const [path, vars] of feedsSrc.missingEnv) {
        if (path.startsWith(`feeds[${i}]`)) feedsSrc.problems.push({ ...feedsSrc.problem(['feeds', i], ''), path, message: `environment variable ${vars.join(', ')} is not set` });
      }
      feeds.push({ ...feed, interval: feed.interval ?? settings?.feeds.default_interval ?? 300_000 });
    });
  }

  const channels: ChannelConfig[] = [];
  const channelIds = new IdRegistry('channel');
  const channelsSrc = readSource(dir, 'channels.yaml', env, true, problems);
  if (channelsSrc && channelsSrc.problems.length === 0) {
    const raw = channelsSrc.data as { channels?: unknown };
    const list = Array.isArray(raw?.channels) ? (raw.channels as Record<string, unknown>[]) : [];
    // Validate the file's shape without the channels, then each channel alone: one bad or
    // env-disabled channel must not hide the others.
    channelsSrc.validate(channelsFileSchema, { ...raw, channels: [] });
    list.forEach((item, i) => {
      const path = ['channels', i];
      const unset = [...channelsSrc.missingEnv].filter(([p]) => p.startsWith(`channels[${i}].`));
      const usable = Object.fromEntries(Object.entries(item ?? {}).filter(([, v]) => v !== ''));
      const idValue = typeof item?.id === 'string' ? item.id : `#${i}`;
      if (typeof item?.id === 'string') {
        const dup = channelIds.claim(item.id, channelsSrc, path);
        if (dup) return void channelsSrc.problems.push(dup);
      }
      const check = channelSchema.safeParse(usable);
      if (!check.success && unset.length > 0 && check.error.issues.every((iss) => unset.some(([p]) => p === formatPath([...path, ...iss.path])))) {
        const vars = unset.flatMap(([, v]) => v);
        warnings.push(channelsSrc.problem(path, `channel "${idValue}" disabled: environment variable ${vars.join(', ')} is not set`));
        return;
      }
      const channel = channelsSrc.validate(channelSchema, usable, path);
      if (channel?.enabled) channels.push(channel);
    });
  }

  for (const src of [settingsSrc, feedsSrc, channelsSrc]) if (src) problems.push(...src.problems);
  // References into a file that did not load would only repeat its errors as "unknown" ones.
  const checkChannelRefs = channelsSrc !== undefined && channelsSrc.problems.length === 0;
  const checkFeedRefs = feedsSrc !== undefined && feedsSrc.problems.length === 0;

  const rules: RuleConfig[] = [];
  const ruleIds = new IdRegistry('rule');
  const rulesDir = join(dir, 'rules');
  const ruleFiles = existsSync(rulesDir) ? readdirSync(rulesDir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  const ruleSources = new Map<string, { src: SourceFile; index: number }>();
  for (const f of ruleFiles) {
    const src = readSource(dir, relative(dir, join(rulesDir, f)), env, true, problems);
    if (!src) continue;
    const file = src.problems.length === 0 ? src.validate(rulesFileSchema, src.data) : undefined;
    file?.rules.forEach((rule, i) => {
      const path = ['rules', i];
      const dup = ruleIds.claim(rule.id, src, path);
      if (dup) return void src.problems.push(dup);
      rule.channels.forEach((ch, j) => {
        if (checkChannelRefs && !channelIds.has(ch)) src.problems.push(src.problem([...path, 'channels', j], `unknown channel "${ch}"`));
      });
      rule.feeds?.forEach((feedId, j) => {
        if (checkFeedRefs && !feedIds.has(feedId)) src.problems.push(src.problem([...path, 'feeds', j], `unknown feed "${feedId}"`));
      });
      rules.push({ ...rule, source: { file: src.name, line: src.lineOf(path) } });
      ruleSources.set(rule.id, { src, index: i });
    });
    problems.push(...src.problems);
  }
  if (ruleFiles.length === 0) warnings.push({ file: 'rules/', line: 1, path: '', message: 'no rule files: nothing will alert' });

  const usableChannels = new Set(channels.map((c) => c.id));
  for (const r of rules) {
    if (r.enabled && !r.channels.some((c) => usableChannels.has(c))) {
      warnings.push({ ...r.source, path: '', message: `rule "${r.id}" has no usable channel: it will match but alert nowhere` });
    }
  }
  const definitions = rules
    .filter((r) => r.enabled)
    .map((r) => ({
      id: r.id,
      name: r.name,
      query: r.query,
      exclude: r.exclude,
      feeds: r.feeds,
      tags: r.tags,
      maxAgeMs: r.max_age ?? settings?.rules.default_max_age,
    }));
  const finish = ({ ruleSet, errors: ruleErrors }: CompileResult): LoadResult => {
    for (const err of ruleErrors) {
      const at = ruleSources.get(err.ruleId);
      const path = at ? ['rules', at.index, err.field] : [];
      const problem = at ? at.src.problem(path, '') : { file: 'rules/', line: 1, path: '', message: '' };
      problems.push({ ...problem, message: `${err.message}\n${err.display}` });
    }
    if (problems.length > 0 || !settings) return { ok: false, errors: problems };
    const feedById = new Map(feeds.map((f) => [f.id, f]));
    const ruleById = new Map(rules.map((r) => [r.id, r]));
    return { ok: true, config: { dir, feeds, channels, rules, settings, ruleSet, feedById, ruleById, warnings } };
  };
  return { rules: definitions, finish };
}
