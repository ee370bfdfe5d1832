import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeedConfig } from '../config/schema.js';
import { decodeBody } from '../feeds/parse/decode.js';
import { buildOpml } from '../feeds/opml/build-opml.js';
import { OpmlError, parseOpml } from '../feeds/opml/parse-opml.js';
import { appendToFeedsYaml, configuredFeeds, feedEntriesYaml, planImport, type ImportPlan } from '../feeds/opml/plan-import.js';
import { maskUrl } from '../log/logger.js';
import { currentSlot } from '../schedule/backoff.js';
import { FeedStateStore, type FeedState } from '../state/feed-state.js';
import { stateKeys } from '../state/keys.js';
import { withCliRedis } from './cli-redis.js';
import { configDir, loadConfigOrReport } from './config-dir.js';
import { EXIT } from './exit-codes.js';
import { oneLine } from './fetch.js';

export type FeedHealth = 'ok' | 'failing' | 'never-fetched' | 'disabled' | 'gone';

/** One row of `newswatch feeds --json`; field names are a contract for scripts, times are ISO 8601 or null. */
export interface FeedHealthRecord {
  id: string;
  url: string;
  enabled: boolean;
  tags: string[];
  intervalMs: number;
  health: FeedHealth;
  consecutiveFailures: number;
  lastAttempt: string | null;
  lastSuccess: string | null;
  lastStatus: number | null;
  lastError: string | null;
  itemsSeen: number;
  /** When the feed will be fetched next: its schedule slot, or later while it backs off; null if never. */
  nextDue: string | null;
}

function feedHealth(feed: FeedConfig, state: FeedState): FeedHealth {
  if (!feed.enabled) return 'disabled';
  // The fetch worker skips a feed whose url answered 410 until the url in feeds.yaml changes.
  if (state.goneUrl !== undefined && state.goneUrl === feed.url) return 'gone';
  if (state.consecutiveFailures > 0) return 'failing';
  if (state.lastAttempt === undefined) return 'never-fetched';
  return 'ok';
}

/**
 * The scheduler queues a feed once per slot, and the fetch worker skips slots until a backoff's
 * `nextDue`: the next fetch is this slot if it has not been tried in it yet, else the next slot, and
 * never before `nextDue`.
 */
function nextDueAt(feed: FeedConfig, state: FeedState, now: number): number {
  const slot = currentSlot(feed.id, feed.interval, now);
  const bySchedule = state.lastAttempt !== undefined && state.lastAttempt >= slot ? slot + feed.interval : slot;
  return Math.max(bySchedule, state.nextDue ?? 0);
}

function healthRecord(feed: FeedConfig, state: FeedState, now: number): FeedHealthRecord {
  const health = feedHealth(feed, state);
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    id: feed.id,
    url: feed.url,
    enabled: feed.enabled,
    tags: feed.tags,
    intervalMs: feed.interval,
    health,
    consecutiveFailures: state.consecutiveFailures,
    lastAttempt: iso(state.lastAttempt),
    lastSuccess: iso(state.lastSuccess),
    lastStatus: state.lastStatus ?? null,
    lastError: state.lastError ?? null,
    itemsSeen: state.itemsSeen,
    nextDue: health === 'disabled' || health === 'gone' ? null : iso(nextDueAt(feed, state, now)),
  };
}

/** "42s", "5m", "3h", "2d": coarse on purpose, a table is read at a glance. */
function duration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3_600) return `${Math.round(s / 60)}m`;
  if (s < 48 * 3_600) return `${Math.round(s / 3_600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

function relative(iso: string | null, now: number, none: string): string {
  if (iso === null) return none;
  const delta = Date.parse(iso) - now;
  if (Math.abs(delta) < 1_000) return 'now';
  return delta < 0 ? `${duration(delta)} ago` : `in ${duration(delta)}`;
}

const HEALTH_LABEL: Record<FeedHealth, (r: FeedHealthRecord) => string> = {
  ok: () => 'ok',
  failing: (r) => `failing ${r.consecutiveFailures}`,
  'never-fetched': () => 'never fetched',
  disabled: () => 'disabled',
  gone: () => 'gone',
};

function formatHealthTable(records: FeedHealthRecord[], now: number): string {
  const header = ['FEED', 'HEALTH', 'LAST FETCH', 'STATUS', 'ITEMS', 'NEXT DUE', 'LAST ERROR'];
  const rows = records.map((r) => [
    r.id,
    HEALTH_LABEL[r.health](r),
    relative(r.lastAttempt, now, 'never'),
    r.lastStatus === null ? '-' : String(r.lastStatus),
    String(r.itemsSeen),
    r.nextDue === null ? '-' : Date.parse(r.nextDue) <= now ? 'now' : relative(r.nextDue, now, '-'),
    r.lastError === null ? '-' : oneLine(r.lastError, 70),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.health, (counts.get(r.health) ?? 0) + 1);
  const summary = [...counts].map(([health, n]) => `${n} ${health === 'never-fetched' ? 'never fetched' : health}`).join(', ');
  return [line(header), ...rows.map(line), '', `${records.length} feed(s)${summary ? `: ${summary}` : ''}`].join('\n') + '\n';
}

/** `newswatch feeds`: every configured feed with its health as the daemon recorded it in Redis. */
export async function feedsTableCommand(opts: { config?: string; json?: boolean }): Promise<number> {
  const config = loadConfigOrReport(opts.config);
  if (!config) return EXIT.negative;
  return withCliRedis(config, 'newswatch feeds', async (redis) => {
    const store = new FeedStateStore(redis, stateKeys(config.settings.redis.prefix));
    const states = await Promise.all(config.feeds.map((f) => store.get(f.id)));
    const now = Date.now();
    const records = config.feeds.map((feed, i) => healthRecord(feed, states[i]!, now));
    process.stdout.write(opts.json ? `${JSON.stringify(records, null, 2)}\n` : formatHealthTable(records, now));
    return EXIT.ok;
  });
}

function importSummary(plan: ImportPlan, dryRun: boolean): string {
  return `${dryRun ? 'would add' : 'added'} ${plan.added.length}, skipped ${plan.skipped.length} already present`;
}

/** `newswatch feeds import FILE.opml`: appends the OPML's new feeds to feeds.yaml, keeping its comments. */
export function feedsImportCommand(file: string, opts: { config?: string; dryRun?: boolean }): number {
  const dir = configDir(opts.config);
  const feedsFile = join(dir, 'feeds.yaml');
  try {
    if (!existsSync(dir)) throw new Error(`config directory ${dir} does not exist (use --config DIR or NEWSWATCH_CONFIG)`);
    let opml;
    try {
      // Read as bytes: OPML files carry their charset in a BOM or the XML declaration, as feeds do.
      opml = parseOpml(decodeBody(readFileSync(file)).text);
    } catch (err) {
      throw new Error(`${file}: ${err instanceof OpmlError ? err.message : `cannot read: ${(err as Error).message}`}`);
    }
    const current = existsSync(feedsFile) ? readFileSync(feedsFile, 'utf8') : '';
    const plan = planImport(configuredFeeds(current), opml.feeds);
    for (const s of plan.skipped) process.stderr.write(`skipped ${s.url}: already present as "${s.existingId}"\n`);
    if (opts.dryRun) {
      process.stdout.write(`${feedEntriesYaml(plan.added)}# ${importSummary(plan, true)}; nothing written\n`);
      return EXIT.ok;
    }
    if (plan.added.length > 0) {
      // Write then rename: the daemon's hot reload must never read a half-written feeds.yaml.
      const temp = `${feedsFile}.${process.pid}.tmp`;
      writeFileSync(temp, appendToFeedsYaml(current, plan.added));
      renameSync(temp, feedsFile);
    }
    for (const a of plan.added) process.stdout.write(`added ${a.id}: ${a.url}\n`);
    process.stdout.write(`${importSummary(plan, false)} (${feedsFile})\n`);
    return EXIT.ok;
  } catch (err) {
    process.stderr.write(`newswatch feeds import: ${(err as Error).message}\n`);
    return EXIT.error;
  }
}

/** `newswatch feeds export`: OPML 2.0 of the configured feeds on stdout. */
export function feedsExportCommand(opts: { config?: string }): number {
  const config = loadConfigOrReport(opts.config);
  if (!config) return EXIT.negative;
  process.stdout.write(buildOpml(config.feeds));
  return EXIT.ok;
}
