import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDirProblem } from '../config/load.js';
import { decodeBody } from '../feeds/parse/decode.js';
import { buildOpml } from '../feeds/opml/build-opml.js';
import { OpmlError, parseOpml } from '../feeds/opml/parse-opml.js';
import { appendToFeedsYaml, configuredFeeds, feedEntriesYaml, planImport, type ImportPlan } from '../feeds/opml/plan-import.js';
import { feedHealthRecords } from '../status/status-reader.js';
import type { FeedHealth, FeedHealthRecord } from '../status/feed-health.js';
import { withCliRedis } from './cli-redis.js';
import { configDir, loadConfigOrReport } from './config-dir.js';
import { EXIT } from './exit-codes.js';
import { oneLine } from './fetch.js';
import { relativeTime } from '../text/relative-time.js';
import { formatTable } from './text-table.js';

export type { FeedHealthRecord };

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
    relativeTime(r.lastAttempt, now, 'never'),
    r.lastStatus === null ? '-' : String(r.lastStatus),
    String(r.itemsSeen),
    r.nextDue === null ? '-' : Date.parse(r.nextDue) <= now ? 'now' : relativeTime(r.nextDue, now, '-'),
    r.lastError === null ? '-' : oneLine(r.lastError, 70),
  ]);
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.health, (counts.get(r.health) ?? 0) + 1);
  const summary = [...counts].map(([health, n]) => `${n} ${health === 'never-fetched' ? 'never fetched' : health}`).join(', ');
  return `${[...formatTable(header, rows), '', `${records.length} feed(s)${summary ? `: ${summary}` : ''}`].join('\n')}\n`;
}

/** `newswatch feeds`: every configured feed with its health as the daemon recorded it in Redis. */
export async function feedsTableCommand(opts: { config?: string; json?: boolean }): Promise<number> {
  const config = loadConfigOrReport(opts.config);
  if (!config) return EXIT.error;
  return withCliRedis(config, 'newswatch feeds', async (redis) => {
    const now = Date.now();
    const records = await feedHealthRecords(redis, config, now);
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
    const dirProblem = configDirProblem(dir);
    if (dirProblem) throw new Error(`${dir}: ${dirProblem.message}`);
    let opml: ReturnType<typeof parseOpml>;
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
  if (!config) return EXIT.error;
  process.stdout.write(buildOpml(config.feeds));
  return EXIT.ok;
}
