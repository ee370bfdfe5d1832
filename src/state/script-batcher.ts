import type { Redis } from 'ioredis';
import { keyCount, withScripts, type BatchableScript, type ScriptArg } from './redis-scripts.js';

interface PendingCall {
  args: ScriptArg[];
  resolve(reply: unknown): void;
  reject(err: unknown): void;
}

/**
 * Calls of one script on one connection, gathering the calls made within one turn of the event loop
 * into one call of its batch form (`<name>Batch`, see `batchSource`): a match batch's story, claim and
 * route steps are one command each for the whole batch instead of one per article. Each of ioredis's
 * commands costs the daemon CPU of its own (a command object, a promise, its reply), more than its
 * arguments do. Redis runs the calls one after another in the order made, as it would separate
 * EVALSHAs sent together. A lone call goes as itself.
 *
 * Each caller gets its own call's reply; an error reply is that caller's error alone. A failed batch
 * call (a runtime error in one call, a lost connection) fails every call of the turn: the calls before
 * the failing one have run, which is what a crash after them leaves too, and every batched script is
 * safe to run again for the same input (see each script).
 */
export class ScriptBatcher {
  private readonly pending = new Map<BatchableScript, PendingCall[]>();

  constructor(private readonly redis: Redis) {}

  call(name: BatchableScript, args: ScriptArg[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let calls = this.pending.get(name);
      if (!calls) this.pending.set(name, (calls = []));
      // setImmediate, as ioredis's auto-pipelining: calls made as the replies of one read resolve go together.
      if (calls.push({ args, resolve, reject }) === 1) setImmediate(() => this.flush(name));
    });
  }

  private flush(name: BatchableScript): void {
    const calls = this.pending.get(name)!;
    this.pending.delete(name);
    const redis = withScripts(this.redis);
    if (calls.length === 1) {
      redis[name](...calls[0]!.args).then(calls[0]!.resolve, calls[0]!.reject);
      return;
    }
    const keys: ScriptArg[] = [];
    const counts: number[] = [calls.length];
    const argv: ScriptArg[] = [];
    for (const { args } of calls) {
      const { keys: n, skip } = keyCount(name, args);
      for (let i = skip; i < skip + n; i++) keys.push(args[i]!);
      for (let i = skip + n; i < args.length; i++) argv.push(args[i]!);
      counts.push(n, args.length - skip - n);
    }
    redis[`${name}Batch`](keys.length, ...keys, ...counts, ...argv).then(
      (replies) => {
        calls.forEach((call, i) => {
          const reply = (replies as unknown[])[i];
          if (reply instanceof Error) call.reject(reply);
          else call.resolve(reply);
        });
      },
      (err: unknown) => {
        for (const call of calls) call.reject(err ?? new Error('running a script batch failed'));
      },
    );
  }
}

const batchers = new WeakMap<Redis, ScriptBatcher>();

/** The one script batcher of a connection. */
export function scriptBatcher(redis: Redis): ScriptBatcher {
  let batcher = batchers.get(redis);
  if (!batcher) batchers.set(redis, (batcher = new ScriptBatcher(redis)));
  return batcher;
}
