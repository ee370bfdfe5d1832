/**
 * When to say something about a dependency that is down: once when it goes down, then once per
 * `repeatMs` while it stays down, and once when it is back. Failures in between (every reconnect
 * attempt of every connection) say nothing, so an outage is a few lines, not a flood.
 */
export class OutageLog {
  private downSince?: number;
  private lastLine = 0;

  constructor(private readonly repeatMs = 30_000) {}

  get isDown(): boolean {
    return this.downSince !== undefined;
  }

  /** How long it has been down at `now` (0 when up). */
  downFor(now: number): number {
    return this.downSince === undefined ? 0 : now - this.downSince;
  }

  /** A failure at `now`: `down` for the first of an outage, `still-down` when a reminder is due, else nothing to say. */
  failure(now: number): 'down' | 'still-down' | undefined {
    if (this.downSince === undefined) {
      this.downSince = this.lastLine = now;
      return 'down';
    }
    if (now - this.lastLine < this.repeatMs) return undefined;
    this.lastLine = now;
    return 'still-down';
  }

  /** Connected at `now`: how long the outage lasted, or undefined when there was none. */
  recovered(now: number): number | undefined {
    if (this.downSince === undefined) return undefined;
    const lasted = now - this.downSince;
    this.downSince = undefined;
    return lasted;
  }
}

/** "1m30s", "45s": how long an outage has lasted, for log lines. */
export function outageDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
}
