import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Semaphore } from 'redis-semaphore';
import type { Settings } from '../../config/schema.js';
import { stateKeys, type StateKeys } from '../../state/keys.js';

export interface HostLimits {
  /** Requests in flight to one host, across every fetch process on this Redis. */
  concurrency: number;
  /** Least time between request starts to one host, in whole seconds (ms here); 0 for none. */
  gapMs: number;
  /** How long a request's place counts if its process dies without giving it back. */
  leaseMs: number;
}

/** A request may start now (give the place back when it ends), or ask again in `waitMs`. */
export type HostTurn = { granted: true; release(): Promise<void> } | { granted: false; waitMs: number };

/**
 * Politeness per host, kept in Redis so it holds across fetch processes and machines: at most
 * `concurrency` requests in flight (a redis-semaphore semaphore whose places expire after `leaseMs`)
 * and at least `gapMs` between request starts (a rate-limiter-flexible window of one request). Non-
 * blocking: a caller told to wait gives its worker slot back (the fetch job is delayed) instead of
 * holding it, so one busy host never starves the others.
 */
export class HostGate {
  private readonly gap?: RateLimiterRedis;

  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
    private readonly limits: HostLimits,
  ) {
    // One request per window of `gapMs`: the window starts with the request, so the next may start when it ends.
    if (limits.gapMs > 0)
      this.gap = new RateLimiterRedis({ storeClient: redis, keyPrefix: keys.hostGap(), points: 1, duration: limits.gapMs / 1_000 });
  }

  async tryAcquire(host: string): Promise<HostTurn> {
    if (this.gap) {
      try {
        await this.gap.consume(host);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { granted: false, waitMs: Math.max(1, rejection.msBeforeNext) };
        throw rejection;
      }
    }
    // Seldom full (only while a host answers slowly), so its places are asked for after the gap.
    const place = new Semaphore(this.redis, this.keys.hostBusy(host), this.limits.concurrency, {
      lockTimeout: this.limits.leaseMs,
      acquireAttemptsLimit: 1,
      retryInterval: 0,
      // A fetch ends (its timeout) well within the lease: nothing to refresh.
      refreshInterval: 0,
    });
    if (!(await place.tryAcquire())) return { granted: false, waitMs: Math.max(this.limits.gapMs, 250) };
    return { granted: true, release: () => place.release() };
  }
}

/** Time a fetch may need beyond its timeout (parsing, queueing its articles) before its place lapses. */
const LEASE_MARGIN_MS = 30_000;

export function hostGateFromSettings(redis: Redis, settings: Settings): HostGate {
  const { feeds } = settings;
  return new HostGate(redis, stateKeys(settings.redis.prefix), {
    concurrency: feeds.per_host_concurrency,
    gapMs: feeds.per_host_gap,
    leaseMs: feeds.timeout + LEASE_MARGIN_MS,
  });
}
