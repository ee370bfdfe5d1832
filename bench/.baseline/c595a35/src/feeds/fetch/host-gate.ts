/**
 * Politeness per host: at most `maxConcurrent` requests in flight and at least `minGapMs` between
 * request starts. Non-blocking: a caller that is told to wait gives its worker slot back (the fetch
 * job is delayed) instead of holding it, so one busy host never starves the others. Per process.
 */
export class HostGate {
  private readonly hosts = new Map<string, { active: number; lastStart: number }>();

  constructor(
    private readonly maxConcurrent: number,
    private readonly minGapMs: number,
  ) {}

  /** 0 when the request may start now (and is counted); otherwise milliseconds to wait before asking again. */
  tryAcquire(host: string, now = Date.now()): number {
    const h = this.hosts.get(host) ?? { active: 0, lastStart: -Infinity };
    if (h.active >= this.maxConcurrent) return Math.max(this.minGapMs, 250);
    const wait = h.lastStart + this.minGapMs - now;
    if (wait > 0) return wait;
    h.active++;
    h.lastStart = now;
    this.hosts.set(host, h);
    return 0;
  }

  release(host: string): void {
    const h = this.hosts.get(host);
    if (!h) return;
    h.active = Math.max(0, h.active - 1);
    // Forget idle hosts once their gap has passed, so 10,000 feeds do not keep 10,000 entries.
    if (h.active === 0 && Date.now() - h.lastStart > this.minGapMs) this.hosts.delete(host);
  }
}

/** The politeness key of a feed URL: host and port; local files are not limited. */
export function hostKey(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}
