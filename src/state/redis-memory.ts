import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.js';

/** Redis memory as INFO reports it. `maxBytes` 0: no `maxmemory` set. */
export interface RedisMemory {
  usedBytes: number;
  maxBytes: number;
}

/** Share of `maxmemory` at which a warning is logged, and at which readiness reports degraded. */
const MEMORY_WARN_RATIO = 0.8;
const MEMORY_DEGRADED_RATIO = 0.9;

export type MemoryLevel = 'ok' | 'warning' | 'degraded';

/**
 * How close Redis is to its limit. With `noeviction` every write fails at the limit and the whole
 * pipeline stops, so operators need to hear about it well before.
 */
export function memoryLevel(memory: RedisMemory): MemoryLevel {
  if (memory.maxBytes <= 0) return 'ok';
  const ratio = memory.usedBytes / memory.maxBytes;
  return ratio >= MEMORY_DEGRADED_RATIO ? 'degraded' : ratio >= MEMORY_WARN_RATIO ? 'warning' : 'ok';
}

/** For /readyz: why the deployment is degraded by Redis memory, or undefined while it is not. */
export function redisMemoryProblem(memory: RedisMemory | undefined): string | undefined {
  if (!memory || memoryLevel(memory) !== 'degraded') return undefined;
  return `redis memory ${describe(memory)}: at maxmemory every write fails; see "Memory to plan for" in docs/architecture.md`;
}

export async function readRedisMemory(redis: Redis): Promise<RedisMemory> {
  const info = await redis.info('memory');
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return { usedBytes: field('used_memory'), maxBytes: field('maxmemory') };
}

function describe(memory: RedisMemory): string {
  const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
  return `${mb(memory.usedBytes)} of ${mb(memory.maxBytes)} (${Math.round((100 * memory.usedBytes) / memory.maxBytes)}%)`;
}

/**
 * Reads Redis memory (`readRedisMemory`) on each `check()`, keeps the last reading (for metrics and readiness), and logs
 * once when usage crosses 80% of `maxmemory` (and again after it fell back below), an error at 90%.
 */
export class RedisMemoryWatch {
  private last: RedisMemory | undefined;
  private level: MemoryLevel = 'ok';

  constructor(
    private readonly read: () => Promise<RedisMemory>,
    private readonly log: Logger,
  ) {}

  latest(): RedisMemory | undefined {
    return this.last;
  }

  async check(): Promise<RedisMemory> {
    const memory = await this.read();
    this.last = memory;
    const level = memoryLevel(memory);
    if (level !== this.level) {
      const fields = { usedBytes: memory.usedBytes, maxBytes: memory.maxBytes };
      if (level === 'degraded')
        this.log.error(
          fields,
          `Redis memory at ${describe(memory)}: near maxmemory, where every write fails and the pipeline stops. Raise maxmemory or shorten retention (docs/architecture.md)`,
        );
      else if (level === 'warning')
        this.log.warn(
          fields,
          `Redis memory at ${describe(memory)}: over ${MEMORY_WARN_RATIO * 100}% of maxmemory (docs/architecture.md says what grows with what)`,
        );
      else this.log.info(fields, `Redis memory back to ${describe(memory)}`);
      this.level = level;
    }
    return memory;
  }
}
