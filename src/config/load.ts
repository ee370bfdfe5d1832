import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import type { Document, LineCounter, Node } from 'yaml';
import type { z } from 'zod';
import { compileRules, compileRulesInSlices } from '../rules/index.js';
import { resolveTermSets } from '../rules/term-sets.js';
import type { CompileResult, RuleDefinition, RuleSet } from '../rules/rule-set.js';
import { closestName } from '../text/edit-distance.js';
import { listConfigSubdir } from './config-subdir.js';
import { feedListNames, readOpmlFeeds } from './feed-lists.js';
import { interpolate } from './interpolate.js';
import { blockSequenceItemLines } from './item-lines.js';
import { describeIssue } from './issue-words.js';
import { yamlErrorMessage } from './yaml-hints.js';
import { wellFormedRulesFile } from './rules-fast-path.js';
import { lazyDependency } from '../lazy-dependency.js';
import {
  channelSchema,
  feedSchema,
  ruleSchema,
  channelsFileSchema,
  feedsFileSchema,
  rulesFileSchema,
  settingsSchema,
  termsFileSchema,
  type ChannelConfig,
  type FeedConfig,
  type RuleConfig,
  type Settings,
} from './schema.js';

// The positioned YAML document is built only to place a problem (see SourceFile): a valid config never loads `yaml`.
const yaml = lazyDependency<typeof import('yaml')>('yaml');

export interface ConfigProblem {
  /** Path relative to the config directory, e.g. `rules/korea.yaml`. */
  file: string;
  line: number;
  /** Path inside the file, e.g. `rules[2].channels[0]`; empty for the whole file. */
  path: string;
  message: string;
}

export interface Config {
  /** Where inputs named by relative paths (local feed files) are found. */
  dir: string;
  /** Where outputs named by relative paths (the file channel, a managed Redis) are written. */
  dataDir: string;
  feeds: FeedConfig[];
  /** Usable channels: enabled and with every required value present. */
  channels: ChannelConfig[];
  rules: RuleConfig[];
  settings: Settings;
  /** Every enabled, valid rule compiled into one matcher. */
  ruleSet: RuleSet;
  /** Feeds, rules and channels by id: workers look one up per job, and there may be 10,000 of them. */
  feedById: ReadonlyMap<string, FeedConfig>;
  ruleById: ReadonlyMap<string, RuleConfig>;
  channelById: ReadonlyMap<string, ChannelConfig>;
  /** terms.yaml's sets, flattened: what `@name` in a query stands for. */
  termSets: ReadonlyMap<string, readonly string[]>;
  /** Not errors, but worth one log line each (e.g. a channel disabled by a missing env var). */
  warnings: ConfigProblem[];
}

export interface LoadOptions {
  /** The data directory (`--data-dir`); else NEWSWATCH_DATA, else ./data, relative to the working directory. */
  dataDir?: string;
}

/** The data directory a load uses: the config directory may be mounted read-only, so outputs go here. */
function dataDirectory(env: NodeJS.ProcessEnv, option?: string): string {
  return resolve(option ?? (env.NEWSWATCH_DATA || 'data'));
}

/** A local feed path (relative to the config directory) or file: URL, as an absolute path; undefined for http(s). */
function localFeedPath(dir: string, url: string): string | undefined {
  if (/^https?:/i.test(url)) return undefined;
  if (/^file:/i.test(url)) return fileURLToPath(url);
  return resolve(dir, url);
}

export type LoadResult = { ok: true; config: Config } | { ok: false; errors: ConfigProblem[] };

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}${p.path ? ` ${p.path}` : ''}: ${p.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

/**
 * One YAML file that can answer "which line is this path on?". Its data come from a plain parse; the
 * full YAML document with positions (about 6 KB per feed entry, 58 MB for 10,000 feeds) is built only
 * when a line is asked for, which happens on problems.
 */
class SourceFile {
  readonly problems: ConfigProblem[] = [];
  /** Values that came out empty because an env var was unset: by formatted path, with the variables. */
  readonly missingEnv = new Map<string, { path: PropertyKey[]; vars: string[] }>();
  private positions?: { doc: Document.Parsed; lines: LineCounter };
  private readonly itemLines = new Map<string, number[] | undefined>();
  private readonly value: unknown;

  constructor(
    readonly name: string,
    private readonly text: string,
    env: NodeJS.ProcessEnv,
  ) {
    let value: unknown;
    try {
      value = loadYaml(text, { schema: CORE_SCHEMA, filename: name });
    } catch {
      // Not plain YAML: the full document says what is wrong, and where; one problem per line.
      const { doc, lines } = this.located();
      const textLines = text.split('\n');
      const reported = new Set<number>();
      for (const err of doc.errors) {
        const { line, col } = lines.linePos(err.pos[0]);
        if (reported.has(line)) continue;
        reported.add(line);
        const message = yamlErrorMessage(err.code, err.message.split('\n')[0] ?? '', textLines[line - 1]?.replace(/\r$/, '') ?? '', col);
        this.problems.push({ file: name, line, path: '', message });
      }
      value = doc.errors.length === 0 ? doc.toJS() : undefined;
    }
    // Most files use no variables: skip the walk over every value (100,000 rules) for them.
    this.value = text.includes('${') ? interpolateValues(value, env, [], this.missingEnv) : value;
  }

  get data(): unknown {
    return this.problems.length > 0 ? undefined : (this.value ?? {});
  }

  lineOf(path: readonly PropertyKey[]): number {
    const [key, index] = path;
    if (path.length === 2 && typeof key === 'string' && typeof index === 'number') return this.itemLine(key, index);
    return this.documentLineOf(path);
  }

  /**
   * The line of item `index` of the top-level list `key`: from a scan of the text when the file has the
   * usual block shape, so loading 100,000 rules (or warning about a channel) never builds the positioned document.
   */
  itemLine(key: string, index: number): number {
    if (!this.itemLines.has(key)) {
      const list = (this.value as Record<string, unknown> | undefined)?.[key];
      const lines = blockSequenceItemLines(this.text, key);
      this.itemLines.set(key, Array.isArray(list) && lines?.length === list.length ? lines : undefined);
    }
    return this.itemLines.get(key)?.[index] ?? this.documentLineOf([key, index]);
  }

  private documentLineOf(path: readonly PropertyKey[]): number {
    const { doc } = this.located();
    for (let len = path.length; len >= 0; len--) {
      const node = doc.getIn(path.slice(0, len) as unknown[], true) as Node | undefined;
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
      // An unset variable is the cause: that is reported instead (unsetVariables), not `"" is not a duration`.
      if (this.missingEnv.has(formatPath(path))) continue;
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      if (keys.length > 0) {
        for (const key of keys) this.problems.push(this.problem([...path, key], `unknown key "${key}"${suggestKey(key)}`));
      } else {
        this.problems.push(this.problem(path, describeIssue(issue, data, at)));
      }
    }
    return undefined;
  }

  /** A problem for every value whose `${VAR}` is unset and has no default: in these files that is an error. */
  unsetVariables(): ConfigProblem[] {
    return [...this.missingEnv.values()].map(({ path, vars }) => this.problem(path, unsetMessage(vars)));
  }

  private located(): { doc: Document.Parsed; lines: LineCounter } {
    if (!this.positions) {
      const { LineCounter, parseDocument } = yaml();
      const lines = new LineCounter();
      this.positions = {
        doc: parseDocument(this.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error' }),
        lines,
      };
    }
    return this.positions;
  }

  private lineAt(offset: number): number {
    return this.located().lines.linePos(offset).line;
  }
}

function unsetMessage(vars: string[]): string {
  const list = vars.map((v) => `\${${v}}`).join(', ');
  return `${list} ${vars.length === 1 ? 'is' : 'are'} not set: set ${vars.length === 1 ? 'it' : 'them'} in the environment, or give a default: \${${vars[0]}:-value}`;
}

/** Replaces `${VAR}` in every string value (not keys), noting the paths whose variables are unset. */
function interpolateValues(value: unknown, env: NodeJS.ProcessEnv, path: PropertyKey[], missing: SourceFile['missingEnv']): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const result = interpolate(value, env);
    if (result.missing.length > 0) missing.set(formatPath(path), { path: [...path], vars: result.missing });
    return result.value;
  }
  if (value === null || typeof value !== 'object') return value;
  const container = value as Record<PropertyKey, unknown>;
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
    path.push(key);
    container[key] = interpolateValues(container[key], env, path, missing);
    path.pop();
  }
  return value;
}

/** A settings section's own keys, looked up through its default (`prefault`) and any transform after it. */
function sectionKeys(field: unknown): string[] {
  const section = (field as { in?: unknown }).in ?? field;
  return Object.keys((section as { unwrap?: () => { shape?: object } }).unwrap?.().shape ?? {});
}

/** Every key the schemas know, for "did you mean" hints on typos. */
const KNOWN_KEYS = [
  ...[feedSchema, ruleSchema, settingsSchema, ...channelSchema.options].flatMap((schema) => Object.keys(schema.shape)),
  ...Object.values(settingsSchema.shape).flatMap(sectionKeys),
];

function suggestKey(key: string): string {
  const close = closestName(key, KNOWN_KEYS);
  return close ? ` (did you mean "${close}"?)` : '';
}

function readSource(
  dir: string,
  name: string,
  env: NodeJS.ProcessEnv,
  required: boolean,
  problems: ConfigProblem[],
): SourceFile | undefined {
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
  /**
   * Where each id was first defined (item `index` of the file's top-level `list`), kept as an entry
   * number into two arrays rather than an object and a path per id (100,000 rules); its line is looked
   * up only for a duplicate.
   */
  private readonly seen = new Map<string, number>();
  private readonly sources: SourceFile[] = [];
  private readonly indexes: number[] = [];
  constructor(
    private readonly kind: string,
    private readonly list: string,
  ) {}
  claim(id: string, src: SourceFile, index: number): ConfigProblem | undefined {
    const first = this.firstDefinition(id);
    if (first)
      return src.problem(
        [this.list, index, 'id'],
        `duplicate ${this.kind} id "${id}" (first defined at ${first.src.name}:${first.src.lineOf(first.path)})`,
      );
    this.seen.set(id, this.sources.length);
    this.sources.push(src);
    this.indexes.push(index);
    return undefined;
  }
  has(id: string): boolean {
    return this.seen.has(id);
  }
  /** The file and path where `id` was first defined. */
  firstDefinition(id: string): { src: SourceFile; path: PropertyKey[] } | undefined {
    const entry = this.seen.get(id);
    if (entry === undefined) return undefined;
    return { src: this.sources[entry] as SourceFile, path: [this.list, this.indexes[entry] as number] };
  }
}

const YAML_FILE = /\.ya?ml$/;

/** The rule files of a config directory: every `rules/*.yaml` (or `.yml`), sorted. */
function ruleFileNames(dir: string): { names: string[]; problem?: ConfigProblem } {
  return listConfigSubdir(dir, 'rules', YAML_FILE);
}

/**
 * Every file a config may be read from, relative to its directory: the YAML files at the top (settings,
 * feeds, channels, terms, and any added later) and in rules/. A change to the config is a change to these.
 */
export function configFileNames(dir: string): string[] {
  const top =
    existsSync(dir) && statSync(dir).isDirectory()
      ? readdirSync(dir)
          .filter((f) => YAML_FILE.test(f))
          .sort()
      : [];
  const feedLists = feedListNames(dir);
  return [...top, ...feedLists.yaml, ...feedLists.opml, ...ruleFileNames(dir).names.map((f) => `rules/${f}`)];
}

/**
 * Reads and validates a config directory. Never throws for bad content: every problem is returned
 * with file, line and path, so an operator can fix them all in one go.
 */
export function loadConfig(dir: string, env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): LoadResult {
  const read = readConfig(dir, env, options);
  return 'finish' in read ? read.finish(compileRules(read.rules, { termSets: read.termSets })) : read;
}

/**
 * The same, compiling the rules in slices that yield to the event loop: with 100,000 rules a compile
 * takes seconds, and a hot reload must not stall matching (or BullMQ's lock renewals) meanwhile.
 */
export async function loadConfigWithoutBlocking(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const read = readConfig(dir, env, options);
  return 'finish' in read ? read.finish(await compileRulesInSlices(read.rules, { termSets: read.termSets })) : read;
}

/** Everything but the rule compilation, which the caller runs (at once or in slices) and hands to `finish`. */
interface ReadConfig {
  rules: RuleDefinition[];
  termSets: ReadonlyMap<string, readonly string[]>;
  finish(compiled: CompileResult): LoadResult;
}

/** Why `dir` cannot be a config directory (absent, or a file), or undefined when it can. */
export function configDirProblem(dir: string): ConfigProblem | undefined {
  const problem = (message: string) => ({ file: dir, line: 1, path: '', message });
  if (!existsSync(dir)) return problem('config directory does not exist (use --config DIR or NEWSWATCH_CONFIG)');
  if (statSync(dir).isDirectory()) return undefined;
  // Taking the file's directory instead would be a guess: the directory of rules/nk.yaml is not the config.
  const hint = /^(settings|feeds|channels|terms)\.ya?ml$/.test(basename(dir)) ? ` (for this file: --config ${dirname(dir)})` : '';
  return problem(
    `is a file, not a directory: --config (or NEWSWATCH_CONFIG) names the config directory, the one holding feeds.yaml and channels.yaml${hint}`,
  );
}

function readConfig(dir: string, env: NodeJS.ProcessEnv, options: LoadOptions): LoadResult | ReadConfig {
  const dataDir = dataDirectory(env, options.dataDir);
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const dirProblem = configDirProblem(dir);
  if (dirProblem) return { ok: false, errors: [dirProblem] };

  const settingsSrc = readSource(dir, 'settings.yaml', env, false, problems);
  const settings = settingsSrc ? settingsSrc.validate(settingsSchema, settingsSrc.data) : settingsSchema.parse({});
  // Settings have no "off" state to fall back to: `redis.url: ${TYPO}` must not quietly mean localhost.
  settingsSrc?.problems.push(...settingsSrc.unsetVariables());

  const feeds: FeedConfig[] = [];
  const feedIds = new IdRegistry('feed', 'feeds');
  const defaultInterval = settings?.feeds.default_interval ?? 300_000;
  // feeds.yaml, then feeds/*.yaml, then feeds/*.opml: large lists split into files load one at a time.
  const feedLists = feedListNames(dir);
  if (feedLists.problem) problems.push(feedLists.problem);
  const needsFeedsYaml = feedLists.yaml.length + feedLists.opml.length === 0;
  const feedSources: SourceFile[] = [];
  for (const name of ['feeds.yaml', ...feedLists.yaml]) {
    const feedsSrc = readSource(dir, name, env, name === 'feeds.yaml' && needsFeedsYaml, problems);
    if (!feedsSrc) continue;
    feedSources.push(feedsSrc);
    if (feedsSrc.problems.length > 0) continue;
    const file = feedsSrc.validate(feedsFileSchema, feedsSrc.data);
    file?.feeds.forEach((feed, i) => {
      const dup = feedIds.claim(feed.id, feedsSrc, i);
      if (dup) feedsSrc.problems.push(dup);
      // Inputs resolve against the config directory (as Prometheus does), wherever newswatch was started.
      const localPath = feedsSrc.missingEnv.has(formatPath(['feeds', i, 'url'])) ? undefined : localFeedPath(dir, feed.url);
      if (localPath !== undefined && feed.enabled && !existsSync(localPath)) {
        feedsSrc.problems.push(
          feedsSrc.problem(
            ['feeds', i, 'url'],
            `no such file: ${localPath}${isAbsolute(feed.url) || /^file:/i.test(feed.url) ? '' : ' (relative paths are read from the config directory)'}`,
          ),
        );
      }
      feeds.push({
        ...feed,
        url: localPath !== undefined && !/^file:/i.test(feed.url) ? localPath : feed.url,
        interval: feed.interval ?? defaultInterval,
      });
    });
    feedsSrc.problems.push(...feedsSrc.unsetVariables());
  }
  let feedListsOk = true;
  for (const name of feedLists.opml) {
    const found = readOpmlFeeds(dir, name, feeds);
    problems.push(...found.problems);
    if (found.problems.length > 0) feedListsOk = false;
    // Ids are unique by construction: planImport avoids every id configured so far.
    for (const feed of found.feeds) feeds.push({ ...feed, interval: feed.interval ?? defaultInterval });
  }

  const channels: ChannelConfig[] = [];
  const channelIds = new IdRegistry('channel', 'channels');
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
        const dup = channelIds.claim(item.id, channelsSrc, i);
        if (dup) return void channelsSrc.problems.push(dup);
      }
      const check = channelSchema.safeParse(usable);
      // Any unset variable disables the channel, in an optional field too: a webhook whose `secret: ${X}`
      // is unset must not go out unsigned. `${X:-}` is how a config says that empty is fine.
      if (
        unset.length > 0 &&
        (check.success || check.error.issues.every((iss) => unset.some(([p]) => p === formatPath([...path, ...iss.path]))))
      ) {
        const vars = unset.flatMap(([, v]) => v.vars);
        warnings.push(channelsSrc.problem(path, `channel "${idValue}" disabled: environment variable ${vars.join(', ')} is not set`));
        return;
      }
      const channel = channelsSrc.validate(channelSchema, usable, path);
      // Outputs resolve against the data directory: the config directory may be read-only.
      if (channel?.enabled) channels.push(channel.type === 'file' ? { ...channel, path: resolve(dataDir, channel.path) } : channel);
      // Invalid anyway: name the unset variables too, since their values were left out of the check.
      if (!channel) for (const [, at] of unset) channelsSrc.problems.push(channelsSrc.problem(at.path, unsetMessage(at.vars)));
    });
  }

  const termsSrc = readSource(dir, 'terms.yaml', env, false, problems);
  const termSets = termsSrc ? readTermSets(termsSrc) : new Map<string, string[]>();

  for (const src of [settingsSrc, ...feedSources, channelsSrc, termsSrc]) if (src) problems.push(...src.problems);
  // References into a file that did not load would only repeat its errors as "unknown" ones.
  const checkChannelRefs = channelsSrc !== undefined && channelsSrc.problems.length === 0;
  const knownFeedIds = new Set(feeds.map((f) => f.id));
  const checkFeedRefs = feedListsOk && feedSources.length > 0 && feedSources.every((src) => src.problems.length === 0);

  const rules: RuleConfig[] = [];
  const ruleIds = new IdRegistry('rule', 'rules');
  const rulesDir = join(dir, 'rules');
  const { names: ruleFiles, problem: rulesDirProblem } = ruleFileNames(dir);
  if (rulesDirProblem) problems.push(rulesDirProblem);
  for (const f of ruleFiles) {
    const src = readSource(dir, relative(dir, join(rulesDir, f)), env, true, problems);
    if (!src) continue;
    // Zod (and its messages) for a file the fast check cannot vouch for: the same value either way.
    const data = src.problems.length === 0 ? src.data : undefined;
    const file = data === undefined ? undefined : (wellFormedRulesFile(data) ?? src.validate(rulesFileSchema, data));
    src.problems.push(...src.unsetVariables());
    if (file?.rules.length === 0)
      warnings.push({ file: src.name, line: 1, path: '', message: 'no rules in this file: it alerts on nothing' });
    const fileRules = file?.rules ?? [];
    for (let i = 0; i < fileRules.length; i++) {
      const rule = fileRules[i] as (typeof fileRules)[number] & Partial<Pick<RuleConfig, 'source'>>;
      const dup = ruleIds.claim(rule.id, src, i);
      if (dup) {
        src.problems.push(dup);
        continue;
      }
      rule.channels.forEach((ch, j) => {
        if (checkChannelRefs && !channelIds.has(ch)) src.problems.push(src.problem(['rules', i, 'channels', j], `unknown channel "${ch}"`));
      });
      rule.feeds?.forEach((feedId, j) => {
        if (checkFeedRefs && !knownFeedIds.has(feedId))
          src.problems.push(src.problem(['rules', i, 'feeds', j], `unknown feed "${feedId}"`));
      });
      // The validated rule is a new object of our own: add its source to it rather than copy it (100,000 rules).
      rule.source = { file: src.name, line: src.itemLine('rules', i) };
      rules.push(rule as RuleConfig);
    }
    problems.push(...src.problems);
  }
  if (ruleFiles.length === 0) warnings.push({ file: 'rules/', line: 1, path: '', message: 'no rule files: nothing will alert' });

  const usableChannels = new Set(channels.map((c) => c.id));
  for (const r of rules) {
    if (r.enabled && !r.channels.some((c) => usableChannels.has(c))) {
      warnings.push({ ...r.source, path: '', message: `rule "${r.id}" has no usable channel: it will match but alert nowhere` });
    }
  }
  const definitions: RuleDefinition[] = [];
  for (const r of rules) {
    if (!r.enabled) continue;
    const maxAgeMs = r.max_age ?? settings?.rules.default_max_age;
    definitions.push({ id: r.id, name: r.name, query: r.query, exclude: r.exclude, feeds: r.feeds, tags: r.tags, maxAgeMs, stem: r.stem });
  }
  const finish = ({ ruleSet, errors: ruleErrors }: CompileResult): LoadResult => {
    for (const err of ruleErrors) {
      const at = ruleIds.firstDefinition(err.ruleId);
      const path = at ? [...at.path, err.field] : [];
      const problem = at ? at.src.problem(path, '') : { file: 'rules/', line: 1, path: '', message: '' };
      problems.push({ ...problem, message: `${err.message}\n${err.display}` });
    }
    if (problems.length > 0 || !settings) return { ok: false, errors: problems };
    const feedById = new Map(feeds.map((f) => [f.id, f]));
    const ruleById = new Map(rules.map((r) => [r.id, r]));
    const channelById = new Map(channels.map((c) => [c.id, c]));
    return {
      ok: true,
      config: { dir, dataDir, feeds, channels, rules, settings, ruleSet, feedById, ruleById, channelById, termSets, warnings },
    };
  };
  return { rules: definitions, termSets, finish };
}

/**
 * Only terms.yaml of a config directory, for a command that needs `@name` sets and nothing else
 * (`newswatch test-rule --query`): no other file is read and no rule compiled.
 */
export function loadTermSets(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): { termSets: Map<string, string[]>; problems: ConfigProblem[] } {
  // No config directory is fine (a query needs no terms); a file where it should be is a mistake to report.
  if (!existsSync(dir)) return { termSets: new Map(), problems: [] };
  const dirProblem = configDirProblem(dir);
  if (dirProblem) return { termSets: new Map(), problems: [dirProblem] };
  const problems: ConfigProblem[] = [];
  const src = readSource(dir, 'terms.yaml', env, false, problems);
  const termSets = src ? readTermSets(src) : new Map<string, string[]>();
  return { termSets, problems: [...problems, ...(src?.problems ?? [])] };
}

/** terms.yaml, flattened; problems (unknown or cyclic includes) land on the file's own lines. */
function readTermSets(src: SourceFile): Map<string, string[]> {
  const file = src.problems.length === 0 ? src.validate(termsFileSchema, src.data) : undefined;
  src.problems.push(...src.unsetVariables());
  if (!file) return new Map();
  const { sets, problems } = resolveTermSets(file.terms);
  for (const p of problems)
    src.problems.push(src.problem(p.member === undefined ? ['terms', p.set] : ['terms', p.set, p.member], p.message));
  return sets;
}
