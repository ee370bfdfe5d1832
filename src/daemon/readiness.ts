import type { Redis } from 'ioredis';
import { withDeadline } from '../deadline.js';
import { redisMemoryProblem, type RedisMemory } from '../state/redis-memory.js';

/** What /readyz looks at in a running daemon. */
export interface ReadinessProbe {
  redis: Redis;
  /** The last connection error Redis gave, for the reason text. */
  redisError(): string | undefined;
  workers: ReadonlyArray<{ name: string; isRunning(): boolean }>;
  scheduler?: { running: boolean };
  stopping(): boolean;
  /** The last Redis memory reading: near maxmemory every write fails, so the process reports not ready. */
  redisMemory?(): RedisMemory | undefined;
}

const PING_TIMEOUT_MS = 1_000;

/** Why this process cannot do its work now; empty when it can (Redis answers, its workers and scheduler run). */
export async function notReadyReasons(probe: ReadinessProbe | undefined): Promise<string[]> {
  if (!probe) return ['starting: connecting to Redis'];
  const reasons: string[] = [];
  if (probe.stopping()) reasons.push('stopping: finishing in-flight jobs');
  const redisProblem = await redisAnswers(probe);
  if (redisProblem) reasons.push(`redis: ${redisProblem}`);
  const memoryProblem = redisMemoryProblem(probe.redisMemory?.());
  if (memoryProblem) reasons.push(memoryProblem);
  for (const worker of probe.workers) if (!worker.isRunning()) reasons.push(`worker ${worker.name}: not running`);
  if (probe.scheduler && !probe.scheduler.running) reasons.push('scheduler: not running');
  return reasons;
}

async function redisAnswers(probe: ReadinessProbe): Promise<string | undefined> {
  if (probe.redis.status !== 'ready') return probe.redisError() ?? `connection ${probe.redis.status}`;
  try {
    await withDeadline(probe.redis.ping(), PING_TIMEOUT_MS, `no answer to PING within ${PING_TIMEOUT_MS} ms`);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
