/**
 * Tests observe, they do not wait: to show that exactly these things arrive and nothing more, a test
 * declares what it expects and the window, a collector watches, and the check runs once, the way
 * Alertmanager's acceptance tests check notifications (test/testutils/collector.go).
 */

/** Something that reports arrivals: calls `push` for each one until the returned function is called. */
export type Source<T> = (push: (event: T) => void) => () => void;

/**
 * The entries appended to a list (a receiver's requests, captured log lines), from index `from` on
 * (by default, those that arrive from now on), read every 20 ms.
 */
export function listSource<T>(list: () => readonly T[], from: number = list().length): Source<T> {
  return (push) => {
    let next = from;
    const drain = () => {
      const items = list();
      while (next < items.length) push(items[next++]!);
    };
    drain();
    const timer = setInterval(drain, 20);
    timer.unref();
    return () => {
      clearInterval(timer);
      drain();
    };
  };
}

export interface Window {
  /** Every expected arrival must be in by this many ms after the collector started. */
  withinMs: number;
  /** Then nothing more may arrive for this many ms after the last expected one. */
  quietMs: number;
}

interface Arrival<T> {
  /** ms after the collector started. */
  at: number;
  key: string;
  event: T;
}

/**
 * Collects what a source reports from the moment it is made. `expectExactly` then checks the arrivals
 * once against a declared set and window: it fails as soon as something arrives that is not expected
 * (or once too often), or when the window for the expected ones passes with some missing; it reports
 * everything received with its arrival time.
 */
export class Collector<T> {
  private readonly arrivals: Array<Arrival<T>> = [];
  private readonly startedAt = Date.now();
  private readonly unsubscribe: () => void;
  private wake?: () => void;

  constructor(
    private readonly name: string,
    source: Source<T>,
    private readonly keyOf: (event: T) => string,
  ) {
    this.unsubscribe = source((event) => {
      this.arrivals.push({ at: Date.now() - this.startedAt, key: this.keyOf(event), event });
      this.wake?.();
    });
  }

  /**
   * Exactly `expected` (keys, in any order, repeats counted) arrive within `window.withinMs` of the
   * collector's start, and nothing more for `window.quietMs` after the last of them (after the start when
   * nothing is expected). Stops collecting; returns the events in arrival order.
   */
  async expectExactly(expected: readonly string[], window: Window): Promise<T[]> {
    try {
      for (;;) {
        const { missing, surplus } = compare(
          expected,
          this.arrivals.map((a) => a.key),
        );
        const elapsed = Date.now() - this.startedAt;
        if (surplus.length > 0) this.fail(expected, window, `unexpected: ${surplus.join(', ')}`);
        let until: number;
        if (missing.length > 0) {
          if (elapsed >= window.withinMs) this.fail(expected, window, `missing after ${window.withinMs} ms: ${missing.join(', ')}`);
          until = window.withinMs;
        } else {
          const quietFrom = expected.length === 0 ? 0 : this.arrivals[this.arrivals.length - 1]!.at;
          until = quietFrom + window.quietMs;
          if (elapsed >= until) return this.arrivals.map((a) => a.event);
        }
        await this.nextArrivalOr(until - elapsed);
      }
    } finally {
      this.stop();
    }
  }

  /** Stops collecting (for a test that ends before checking). */
  stop(): void {
    this.unsubscribe();
    this.wake = undefined;
  }

  private nextArrivalOr(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private fail(expected: readonly string[], window: Window, problem: string): never {
    const received = this.arrivals.map((a) => `  @${a.at} ms ${a.key}`).join('\n') || '  (nothing)';
    throw new Error(
      `${this.name}: expected exactly [${expected.join(', ')}] within ${window.withinMs} ms, then nothing more for ${window.quietMs} ms; ${problem}\nreceived:\n${received}`,
    );
  }
}

/** Multiset difference both ways. */
function compare(expected: readonly string[], received: readonly string[]): { missing: string[]; surplus: string[] } {
  const left = new Map<string, number>();
  for (const key of expected) left.set(key, (left.get(key) ?? 0) + 1);
  const surplus: string[] = [];
  for (const key of received) {
    const n = left.get(key) ?? 0;
    if (n > 0) left.set(key, n - 1);
    else surplus.push(key);
  }
  const missing = [...left].flatMap(([key, n]) => Array<string>(n).fill(key));
  return { missing, surplus };
}

/**
 * Collects what `source` reports during a declared window of `ms`, then returns it once: for checks on
 * the whole window (how often, how far apart) rather than on a set of arrivals.
 */
export async function collectFor<T>(ms: number, source: Source<T>): Promise<T[]> {
  const events: T[] = [];
  const unsubscribe = source((e) => events.push(e));
  await new Promise<void>((resolve) => setTimeout(resolve, ms));
  unsubscribe();
  return events;
}
