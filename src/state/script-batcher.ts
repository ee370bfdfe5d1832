import type { Redis } from 'ioredis';
import { onePer, TurnBatch } from '../batching/turn-batch.js';
import { keyCount, withScripts, type BatchableScript, type ScriptArg } from './redis-scripts.js';

/**
 * Calls of one script on one connection, the calls of one turn of the event loop as one call of its
 * batch form (`<name>Batch`, see `batchSource`; gathered by `TurnBatch`): a match batch's story, claim
 * and route steps are one command each for the whole batch instead of one per article. Redis runs the
 * calls one after another in the order made, as it would separate EVALSHAs sent together. A lone call
 * goes as itself.
 *
 * Each caller gets its own call's reply; an error reply is that caller's error alone. A failed batch
 * call (a runtime error in one call, a lost connection) fails every call of the turn: the calls before
 * the failing one have run, which is what a crash after them leaves too, and every batched script is
 * safe to run again for the same input (see each script).
 */
export class ScriptBatcher {
  private readonly batches = new Map<BatchableScript, TurnBatch<ScriptArg[], unknown>>();

  constructor(private readonly redis: Redis) {}

  call(name: BatchableScript, args: ScriptArg[]): Promise<unknown> {
    let batch = this.batches.get(name);
    if (!batch) this.batches.set(name, (batch = new TurnBatch((calls) => runCalls(this.redis, name, calls), `running ${name}`)));
    return batch.add(args);
  }
}

async function runCalls(redis: Redis, name: BatchableScript, calls: ReadonlyArray<ScriptArg[]>): Promise<unknown[]> {
  const scripted = withScripts(redis);
  if (calls.length === 1) return [await scripted[name](...calls[0]!)];
  const keys: ScriptArg[] = [];
  const counts: number[] = [calls.length];
  const argv: ScriptArg[] = [];
  for (const args of calls) {
    const { keys: n, skip } = keyCount(name, args);
    for (let i = skip; i < skip + n; i++) keys.push(args[i]!);
    for (let i = skip + n; i < args.length; i++) argv.push(args[i]!);
    counts.push(n, args.length - skip - n);
  }
  return (await scripted[`${name}Batch`](keys.length, ...keys, ...counts, ...argv)) as unknown[];
}

/** The one script batcher of a connection. */
export const scriptBatcher = onePer((redis: Redis) => new ScriptBatcher(redis));
