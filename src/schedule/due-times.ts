/**
 * Things that fall due at given times, taken in one-second buckets: a timing wheel keyed by the
 * second. Taking what is due costs only what is due, not a scan of everything waiting. A thing is
 * bucketed by the second its time rounds up to, so it is never handed out early (a fetch job taken
 * before its feed's slot began would be queued for the slot before, and fetch up to a second early).
 */
export class DueTimes<T> {
  private readonly buckets = new Map<number, T[]>();
  /** The earliest second that may still hold something. */
  private next = Infinity;

  add(item: T, at: number): void {
    const second = Math.ceil(at / 1_000);
    const bucket = this.buckets.get(second);
    if (bucket) bucket.push(item);
    else this.buckets.set(second, [item]);
    if (second < this.next) this.next = second;
  }

  /** Removes and returns everything due at or before `now`. */
  takeUntil(now: number): T[] {
    const until = Math.floor(now / 1_000);
    const taken: T[] = [];
    if (this.next > until) return taken;
    // Walk the seconds while few; after a long pause (a suspended laptop) look at the buckets instead.
    if (until - this.next <= this.buckets.size) {
      for (let s = this.next; s <= until; s++) this.takeBucket(s, taken);
    } else {
      for (const s of [...this.buckets.keys()]) if (s <= until) this.takeBucket(s, taken);
    }
    this.next = this.buckets.size === 0 ? Infinity : until + 1;
    return taken;
  }

  private takeBucket(second: number, into: T[]): void {
    const bucket = this.buckets.get(second);
    if (!bucket) return;
    for (const item of bucket) into.push(item);
    this.buckets.delete(second);
  }
}
