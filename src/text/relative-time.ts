/** "42s", "5m", "3h", "2d": coarse on purpose, a table is read at a glance. */
export function coarseDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3_600) return `${Math.round(s / 60)}m`;
  if (s < 48 * 3_600) return `${Math.round(s / 3_600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

/** "5m ago", "in 3h", "now"; `none` for a missing time. */
export function relativeTime(iso: string | null, now: number, none: string): string {
  if (iso === null) return none;
  const delta = Date.parse(iso) - now;
  if (Math.abs(delta) < 1_000) return 'now';
  return delta < 0 ? `${coarseDuration(delta)} ago` : `in ${coarseDuration(delta)}`;
}
