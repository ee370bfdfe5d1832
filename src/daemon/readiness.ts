import type { Redis } from 'ioredis';

/** What /readyz looks at in a running daemon. */
export interface ReadinessProbe {
  redis: Redis;
  /** The last connection error Redis gave, for the reason text. */
  redisError(): string | undefined;
  workers: ReadonlyArray<{ name: string; isRunning(): boolean }>;
  scheduler?: { running: boolean };
  stopping(): boolean;
}

const PING_TIMEOUT_MS = 1_000;

/** Why this process cannot do its work now; empty when it can (Redis answers, its workers and scheduler run). */
export async function notReadyReasons(probe: ReadinessProbe | undefined): Promise<string[]> {
  if (!probe) return ['starting: connecting to Redis'];
  const reasons: string[] = [];
  if (probe.stopping()) reasons.push('stopping: finishing in-flight jobs');
  const redisProblem = await redisAnswers(probe);
  if (redisProblem) reasons.push(`redis: ${redisProblem}`);
  for (const worker of probe.workers) if (!worker.isRunning()) reasons.push(`worker ${worker.name}: not running`);
  if (probe.scheduler && !probe.scheduler.running) reasons.push('scheduler: not running');
  return reasons;
}

async function redisAnswers(probe: ReadinessProbe): Promise<string | undefined> {
  if (probe.redis.status !== 'ready') return probe.redisError() ?? `connection ${probe.redis.status}`;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([probe.redis.ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer to PING within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS)))]);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    clearTimeout(timer);
  }
}
