import type { Redis } from 'ioredis';
import { withScripts } from './redis-scripts.js';

interface PendingSet {
  key: string;
  value: string;
  ttlMs: number;
  settle(err?: unknown): void;
}

/**
 * Plain `SET key value PX ttl` writes on one connection, gathering the writes of one turn of the event
 * loop into one `setMany` script call: a match batch's ledger records (and first-alert facts) are one
 * command for the whole batch instead of one per article. Each of ioredis's commands costs the daemon
 * CPU of its own (a command object, a promise, its reply), more than its few arguments do. A lone write
 * goes as a plain SET. Each caller's promise settles with its turn's call; a failed call fails every
 * write of that turn, as separate SETs sent together would.
 */
export class SetBatcher {
  private pending: PendingSet[] = [];

  constructor(private readonly redis: Redis) {}

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (err?: unknown) => (err === undefined ? resolve() : reject(err));
      // setImmediate, as ioredis's auto-pipelining: writes made as the replies of one read resolve go together.
      if (this.pending.push({ key, value, ttlMs, settle }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const sets = this.pending;
    this.pending = [];
    let written: Promise<unknown>;
    if (sets.length === 1) {
      written = this.redis.set(sets[0]!.key, sets[0]!.value, 'PX', sets[0]!.ttlMs);
    } else {
      const args: Array<string | number> = [sets.length];
      for (const s of sets) args.push(s.key);
      for (const s of sets) args.push(s.value, s.ttlMs);
      written = withScripts(this.redis).setMany(...args);
    }
    written.then(
      () => {
        for (const s of sets) s.settle();
      },
      (err: unknown) => {
        for (const s of sets) s.settle(err ?? new Error('writing to Redis failed'));
      },
    );
  }
}

const batchers = new WeakMap<Redis, SetBatcher>();

/** The one batcher of a connection. */
export function setBatcher(redis: Redis): SetBatcher {
  let batcher = batchers.get(redis);
  if (!batcher) batchers.set(redis, (batcher = new SetBatcher(redis)));
  return batcher;
}
