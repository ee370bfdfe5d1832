import { describeRedis } from '../queues/connection.js';
import type { StatusSnapshot } from '../status/snapshot.js';
import { StatusReader } from '../status/status-reader.js';
import { cliRedisTarget, withCliRedis } from './cli-redis.js';
import { loadConfigOrReport } from './config-dir.js';
import { EXIT } from './exit-codes.js';
import { oneLine } from './fetch.js';
import { coarseDuration, relativeTime } from '../text/relative-time.js';
import { formatTable } from './text-table.js';

/**
 * `newswatch status`: the whole deployment on one screen, from Redis. Exit 0 healthy, 1 degraded,
 * 2 when the config is invalid or Redis cannot be reached.
 */
export async function statusCommand(opts: { config?: string; json?: boolean }): Promise<number> {
  const config = loadConfigOrReport(opts.config);
  if (!config) return EXIT.error;
  return withCliRedis(config, 'newswatch status', async (redis) => {
    const reader = new StatusReader(redis, describeRedis(cliRedisTarget(config)), config.settings.redis.prefix);
    try {
      const snapshot = await reader.read(config);
      process.stdout.write(opts.json ? `${JSON.stringify(snapshot, null, 2)}\n` : formatStatus(snapshot));
      return snapshot.health.status === 'healthy' ? EXIT.ok : EXIT.negative;
    } finally {
      await reader.close();
    }
  });
}

/** The snapshot as text for a terminal: verdict and reasons first, then the details. */
export function formatStatus(s: StatusSnapshot): string {
  const now = Date.parse(s.at);
  const out: string[] = [];
  out.push(`newswatch ${s.health.status.toUpperCase()}  (Redis ${s.redis}, prefix ${s.prefix}, ${s.at})`);
  for (const reason of s.health.reasons) out.push(`  ! ${oneLine(reason, 160)}`);

  out.push(
    '',
    ...formatTable(
      ['QUEUE', 'WAITING', 'ACTIVE', 'DELAYED', 'FAILED', 'WORKERS'],
      s.queues.map((q) => [
        q.name,
        String(q.jobs.waiting),
        String(q.jobs.active),
        String(q.jobs.delayed),
        String(q.jobs.failed),
        q.workers === null ? '?' : String(q.workers),
      ]),
    ),
  );

  const c = s.feeds.counts;
  out.push(
    '',
    `FEEDS  ${s.feeds.records.length}: ${c.ok} ok, ${c.failing} failing, ${c.gone} gone, ${c['never-fetched']} never fetched, ${c.disabled} disabled`,
  );
  for (const f of s.feeds.records.filter((r) => r.health === 'failing' || r.health === 'gone')) {
    const what = f.health === 'gone' ? 'gone' : `failing ${f.consecutiveFailures}x`;
    out.push(
      `  ${f.id}  ${what}, last try ${relativeTime(f.lastAttempt, now, 'never')}${f.lastError ? `: ${oneLine(f.lastError, 100)}` : ''}`,
    );
  }

  if (s.channels.length > 0) {
    out.push('', 'CHANNELS');
    for (const ch of s.channels) {
      const state = ch.disabledReason
        ? `disabled: ${ch.disabledReason}`
        : ch.failingSince
          ? `${ch.unhealthy ? 'UNHEALTHY, ' : ''}failing since ${relativeTime(ch.failingSince, now, '?')}${ch.lastError ? `: ${oneLine(ch.lastError, 100)}` : ''}`
          : 'ok';
      out.push(`  ${ch.id} (${ch.type})  ${state}${ch.buffered > 0 ? `, ${ch.buffered} buffered for a digest` : ''}`);
    }
  }

  const window = coarseDuration(s.alerts.windowMs);
  out.push(
    '',
    `DELIVERIES  ${s.deliveries.failedJobs} failed after all retries; ${s.deliveries.failing.length} failing in the last ${window}`,
  );
  for (const d of s.deliveries.failing) {
    out.push(
      `  ${d.channelId}  ${d.ruleId}  ${oneLine(d.title, 60)}  ${d.gaveUp ? 'GAVE UP' : 'retrying'} after ${d.attempts} attempt(s)${d.lastError ? `: ${oneLine(d.lastError, 80)}` : ''}`,
    );
  }

  out.push(
    '',
    `ALERTS  ${s.alerts.total} in the last ${window}${s.alerts.recent.length < s.alerts.total ? `, newest ${s.alerts.recent.length}` : ''}`,
  );
  for (const a of s.alerts.recent) {
    const deliveries = Object.entries(a.deliveries)
      .map(([id, d]) => `${id} ${d.ok === undefined ? 'pending' : d.ok ? 'ok' : 'FAILED'}`)
      .join(', ');
    out.push(`  ${relativeTime(new Date(a.at).toISOString(), now, '?').padEnd(8)}  ${a.ruleId}  ${oneLine(a.title, 70)}  [${deliveries}]`);
  }

  const hits = s.rules.filter((r) => r.alerts > 0).sort((a, b) => b.alerts - a.alerts);
  out.push('', `RULES  ${s.rules.length} configured, ${hits.length} alerted in the last ${window}`);
  for (const r of hits.slice(0, 10)) out.push(`  ${r.id}  ${r.alerts}`);
  return `${out.join('\n')}\n`;
}
