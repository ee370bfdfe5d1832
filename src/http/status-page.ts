import { escapeUTF8 as escapeHtml } from 'entities';
import { coarseDuration, relativeTime } from '../text/relative-time.js';
import type { FeedHealth, FeedHealthRecord } from '../status/feed-health.js';
import type { StatusSnapshot } from '../status/snapshot.js';

/** Everything the status page shows: the deployment from Redis, and this process's own config state. */
export interface StatusPageView {
  /** Undefined when Redis could not be read; `redisError` says why. */
  snapshot?: StatusSnapshot;
  redisError?: string;
  process: {
    version: string;
    roles: string[];
    generation: number;
    /** The last reload, if there was one since start. */
    lastReload?: { ok: boolean; at: number; problems: string[] };
  };
  refreshSeconds: number;
  now: number;
}

/** At most this many feeds are listed; the worst come first, and `newswatch feeds` lists them all. */
export const MAX_FEED_ROWS = 200;

const FEED_ORDER: Record<FeedHealth, number> = { failing: 0, gone: 1, 'never-fetched': 2, ok: 3, disabled: 4 };

/**
 * The status page: one self-contained HTML document (no scripts, inline CSS), readable on a phone,
 * reloading itself with a meta refresh. Every text that comes from feeds, config or Redis is escaped.
 */
export function renderStatusPage(view: StatusPageView): string {
  const s = view.snapshot;
  const verdict = s ? s.health.status : 'unavailable';
  const body = s
    ? [summary(s), queues(s), feeds(s.feeds.records, Date.parse(s.at)), alerts(s), failing(s), rules(s)].join('\n')
    : `<section><h2>Redis</h2><p class="bad">Cannot read the deployment's state from Redis: ${escapeHtml(view.redisError ?? 'unknown error')}</p></section>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${view.refreshSeconds}">
<title>newswatch: ${escapeHtml(verdict)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>newswatch <span class="verdict ${verdict === 'healthy' ? 'good' : 'bad'}" id="verdict">${escapeHtml(verdict)}</span></h1>
${processLine(view)}
</header>
<main>
${body}
</main>
<footer><p class="meta">Refreshes every ${view.refreshSeconds}s. Read at ${escapeHtml(new Date(view.now).toISOString())}. Machine-readable: <code>newswatch status --json</code>, <a href="metrics">/metrics</a>.</p></footer>
</body>
</html>
`;
}

function processLine(view: StatusPageView): string {
  const p = view.process;
  const reload = p.lastReload
    ? p.lastReload.ok
      ? `last reload applied ${escapeHtml(relativeTime(new Date(p.lastReload.at).toISOString(), view.now, ''))}`
      : `<span class="bad">last reload rejected ${escapeHtml(relativeTime(new Date(p.lastReload.at).toISOString(), view.now, ''))}</span>`
    : 'no reload since start';
  const problems =
    p.lastReload && !p.lastReload.ok
      ? `<ul id="reload-problems">${p.lastReload.problems.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>`
      : '';
  return `<p class="meta">version ${escapeHtml(p.version)} · roles ${escapeHtml(p.roles.join(', '))} · config generation <b id="generation">${p.generation}</b> · <span id="last-reload">${reload}</span></p>${problems}`;
}

function summary(s: StatusSnapshot): string {
  const reasons =
    s.health.reasons.length > 0
      ? `<ul id="reasons">${s.health.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`
      : '<p>Nothing needs attention.</p>';
  return `<section><p class="meta">Redis ${escapeHtml(s.redis)}, prefix ${escapeHtml(s.prefix)}</p>${reasons}</section>`;
}

function queues(s: StatusSnapshot): string {
  const rows = s.queues.map(
    (q) =>
      `<tr><th scope="row">${escapeHtml(q.name)}</th><td>${q.jobs.waiting}</td><td>${q.jobs.active}</td><td>${q.jobs.delayed}</td><td class="${q.jobs.failed > 0 ? 'bad' : ''}">${q.jobs.failed}</td><td>${q.workers ?? '?'}</td></tr>`,
  );
  return table('queues', 'Queues', ['queue', 'waiting', 'active', 'delayed', 'failed', 'workers'], rows);
}

function feeds(records: readonly FeedHealthRecord[], now: number): string {
  const sorted = [...records].sort((a, b) => FEED_ORDER[a.health] - FEED_ORDER[b.health] || b.consecutiveFailures - a.consecutiveFailures);
  const rows = sorted.slice(0, MAX_FEED_ROWS).map((f) => {
    const state = f.health === 'failing' ? `failing ×${f.consecutiveFailures}` : f.health;
    const cls = f.health === 'failing' || f.health === 'gone' ? 'bad' : f.health === 'ok' ? 'good' : '';
    return `<tr><th scope="row">${escapeHtml(f.id)}</th><td class="${cls}">${escapeHtml(state)}</td><td>${timeCell(f.lastAttempt, now, 'never')}</td><td>${f.consecutiveFailures}</td><td class="error">${escapeHtml(f.lastError ?? '')}</td><td>${timeCell(f.nextDue, now, '—')}</td></tr>`;
  });
  const more =
    records.length > MAX_FEED_ROWS
      ? `<p class="meta">${records.length - MAX_FEED_ROWS} more feeds not shown: <code>newswatch feeds</code> lists every one.</p>`
      : '';
  return table('feeds', `Feeds (${records.length})`, ['feed', 'state', 'last fetch', 'failures', 'last error', 'next due'], rows) + more;
}

function alerts(s: StatusSnapshot): string {
  const now = Date.parse(s.at);
  const rows = s.alerts.recent.map((a) => {
    const deliveries = Object.entries(a.deliveries)
      .map(([channel, d]) => {
        const state = d.ok === undefined ? 'pending' : d.ok ? 'delivered' : 'failing';
        return `<span class="chip ${d.ok === false ? 'bad' : d.ok ? 'good' : ''}" title="${escapeHtml(d.lastError ?? `${d.attempts} attempt(s)`)}">${escapeHtml(channel)}: ${state}</span>`;
      })
      .join(' ');
    return `<tr><td>${timeCell(new Date(a.at).toISOString(), now, '')}</td><td>${escapeHtml(a.ruleId)}</td><td>${articleLink(a.title, a.link)}</td><td>${deliveries}</td></tr>`;
  });
  const title = `Recent alerts (${s.alerts.total} in ${coarseDuration(s.alerts.windowMs)})`;
  return table('alerts', title, ['when', 'rule', 'article', 'channels'], rows);
}

function failing(s: StatusSnapshot): string {
  const now = Date.parse(s.at);
  const channelRows = s.channels
    .filter((c) => c.failingSince || c.disabledReason)
    .map(
      (c) =>
        `<tr><th scope="row">${escapeHtml(c.id)}</th><td class="bad">${escapeHtml(c.disabledReason ? `disabled: ${c.disabledReason}` : `failing since ${relativeTime(c.failingSince, now, '?')}`)}</td><td class="error">${escapeHtml(c.lastError ?? '')}</td></tr>`,
    );
  const deliveryRows = s.deliveries.failing.map(
    (d) =>
      `<tr><td>${escapeHtml(d.channelId)}</td><td>${escapeHtml(d.ruleId)}</td><td>${escapeHtml(d.title)}</td><td class="bad">${d.gaveUp ? 'gave up' : 'retrying'} after ${d.attempts}</td><td class="error">${escapeHtml(d.lastError ?? '')}</td></tr>`,
  );
  const title = `Failing deliveries (${s.deliveries.failedJobs} failed for good)`;
  return [
    channelRows.length > 0 ? table('channels', 'Failing channels', ['channel', 'state', 'last error'], channelRows) : '',
    table('failing', title, ['channel', 'rule', 'alert', 'state', 'last error'], deliveryRows),
  ].join('\n');
}

function rules(s: StatusSnapshot): string {
  const rows = [...s.rules]
    .sort((a, b) => b.alerts - a.alerts || a.id.localeCompare(b.id))
    .map(
      (r) => `<tr><th scope="row">${escapeHtml(r.id)}</th><td>${escapeHtml(r.name)}</td><td>${r.enabled ? r.alerts : 'disabled'}</td></tr>`,
    );
  return table('rules', `Rule hits (alerts in ${coarseDuration(s.alerts.windowMs)})`, ['rule', 'name', 'alerts'], rows);
}

/** Only http(s) links become links: a feed could hand us `javascript:` URLs. */
function articleLink(title: string, link: string): string {
  const text = escapeHtml(title || link || '(untitled)');
  return /^https?:\/\//i.test(link) ? `<a href="${escapeHtml(link)}" rel="noopener noreferrer" target="_blank">${text}</a>` : text;
}

function timeCell(iso: string | null, now: number, none: string): string {
  if (iso === null) return escapeHtml(none);
  return `<time datetime="${escapeHtml(iso)}" title="${escapeHtml(iso)}">${escapeHtml(relativeTime(iso, now, none))}</time>`;
}

function table(id: string, title: string, headers: string[], rows: string[]): string {
  const content = rows.length > 0 ? rows.join('\n') : `<tr><td colspan="${headers.length}" class="meta">none</td></tr>`;
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2><div class="scroll"><table><thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>
${content}
</tbody></table></div></section>`;
}

const CSS = `
body{font:15px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:0 12px 24px;color:#1b1f24;background:#fff}
header,main,footer{max-width:1100px;margin:0 auto}
h1{font-size:1.4em;margin:12px 0 4px}h2{font-size:1.1em;margin:20px 0 6px}
.meta{color:#57606a;font-size:.9em}
.verdict{font-size:.7em;padding:2px 8px;border-radius:10px;vertical-align:middle;text-transform:uppercase}
.verdict.good{background:#dafbe1}.verdict.bad{background:#ffebe9}
.good{color:#116329}.bad{color:#a40e26}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #d0d7de;vertical-align:top}
thead th{background:#f6f8fa;white-space:nowrap}
td.error{max-width:28em;overflow-wrap:anywhere;color:#57606a}
.chip{display:inline-block;white-space:nowrap;margin:0 4px 2px 0;padding:0 6px;border-radius:8px;background:#f6f8fa}
a{color:#0969da;overflow-wrap:anywhere}
ul{margin:4px 0;padding-left:20px}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}thead th,.chip{background:#161b22}th,td{border-color:#30363d}.meta,td.error{color:#8b949e}a{color:#58a6ff}.good{color:#3fb950}.bad{color:#f85149}.verdict.good{background:#033a16}.verdict.bad{background:#5d0f12}}
`;
