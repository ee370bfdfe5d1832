import type { Redis } from 'ioredis';
import type { AlertJob } from '../queues/queues.js';
import type { StateKeys } from './keys.js';

/**
 * Throttle counters (fixed windows) and per-channel digest buffers: where alerts wait when a channel
 * is in digest mode, muted, or over its throttle.
 */
export class Pacing {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  /** Counts one alert against `max` per `perMs` for `scope`; false when the window is already full. */
  async withinLimit(scope: string, max: number, perMs: number, now = Date.now()): Promise<boolean> {
    const windowStart = Math.floor(now / perMs) * perMs;
    const key = this.keys.throttle(scope, windowStart);
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, perMs * 2).exec()) as [[null, number], unknown];
    return count <= max;
  }

  /** Keyed by delivery id, so a retried dispatch cannot put one alert into a digest twice. */
  async buffer(channelId: string, deliveryId: string, alert: AlertJob): Promise<void> {
    await this.redis.hset(this.keys.digestBuffer(channelId), deliveryId, JSON.stringify(alert));
  }

  async buffered(channelId: string): Promise<number> {
    return this.redis.hlen(this.keys.digestBuffer(channelId));
  }

  /** Whether alerts wait for this channel, in its buffer or in a flush that did not finish. */
  async hasPending(channelId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.digestBuffer(channelId), this.keys.digestTaking(channelId))) > 0;
  }

  /**
   * Takes the buffer for one flush, atomically. A buffer taken by an earlier flush that never finished
   * is taken again first, under that flush's id, so its alerts go out (once) with the next flush;
   * alerts arriving meanwhile wait in a fresh buffer.
   */
  async takeBuffer(channelId: string, flushId: string): Promise<{ flushId: string; alerts: AlertJob[] }> {
    const fields = (await this.redis.eval(TAKE_SCRIPT, 2, this.keys.digestBuffer(channelId), this.keys.digestTaking(channelId), flushId)) as string[];
    let owner = flushId;
    const alerts: AlertJob[] = [];
    for (let i = 0; i < fields.length; i += 2) {
      if (fields[i] === FLUSH_FIELD) owner = fields[i + 1]!;
      else alerts.push(JSON.parse(fields[i + 1]!) as AlertJob);
    }
    return { flushId: owner, alerts: alerts.sort((a, b) => a.matchedAt.localeCompare(b.matchedAt)) };
  }

  async releaseBuffer(channelId: string): Promise<void> {
    await this.redis.del(this.keys.digestTaking(channelId));
  }

  /**
   * The route of an alert on a channel, decided once: a retried dispatch reuses it instead of deciding
   * again (a throttle window may have rolled over meanwhile, which would send and buffer one alert).
   */
  async route<R>(alertId: string, channelId: string, decide: () => Promise<R>): Promise<R> {
    const key = this.keys.routes(alertId);
    const known = await this.redis.hget(key, channelId);
    if (known) return JSON.parse(known) as R;
    const route = await decide();
    const [[, stored]] = (await this.redis.multi().hsetnx(key, channelId, JSON.stringify(route)).pexpire(key, ROUTE_TTL_MS).exec()) as [[null, number], unknown];
    return stored === 1 ? route : (JSON.parse((await this.redis.hget(key, channelId))!) as R);
  }
}

const FLUSH_FIELD = '__flush';
const ROUTE_TTL_MS = 7 * 86_400_000;

/** KEYS: buffer, taking. ARGV: flush id. Returns the taking hash (with the owning flush id in __flush). */
const TAKE_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('HSET', KEYS[2], '__flush', ARGV[1])
end
return redis.call('HGETALL', KEYS[2])
`;
