import type { Redis } from 'ioredis';
import { onePer, TurnBatch } from '../batching/turn-batch.js';
import { withScripts } from './redis-scripts.js';

interface PendingSet {
  key: string;
  value: string;
  ttlMs: number;
}

async function writeSets(redis: Redis, sets: readonly PendingSet[]): Promise<undefined> {
  if (sets.length === 1) {
    await redis.set(sets[0]!.key, sets[0]!.value, 'PX', sets[0]!.ttlMs);
    return;
  }
  const args: Array<string | number> = [sets.length];
  for (const s of sets) args.push(s.key);
  for (const s of sets) args.push(s.value, s.ttlMs);
  await withScripts(redis).setMany(...args);
}

/**
 * Plain `SET key value PX ttl` writes on one connection (the one batch of it), the writes of one turn of the
 * event loop in one `setMany` script call (`TurnBatch`): a match batch's ledger records (and first-alert
 * facts) are one command for the whole batch instead of one per article. A lone write goes as a plain SET.
 */
export const setBatcher = onePer((redis: Redis) => new TurnBatch<PendingSet>((sets) => writeSets(redis, sets), 'writing to Redis'));
