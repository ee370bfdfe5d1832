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

  /**
   * Takes the buffer for one flush. Idempotent per `flushId`: the buffer is renamed first, so a retried
   * flush finds the same alerts and alerts arriving meanwhile wait for the next flush.
   */
  async takeBuffer(channelId: string, flushId: string): Promise<AlertJob[]> {
    const taking = this.keys.digestTaking(channelId, flushId);
    try {
      await this.redis.renamenx(this.keys.digestBuffer(channelId), taking);
    } catch {
      // No buffer: nothing new since the last flush (or this flush already took it).
    }
    const alerts = Object.values(await this.redis.hgetall(taking)).map((raw) => JSON.parse(raw) as AlertJob);
    return alerts.sort((a, b) => a.matchedAt.localeCompare(b.matchedAt));
  }

  async releaseBuffer(channelId: string, flushId: string): Promise<void> {
    await this.redis.del(this.keys.digestTaking(channelId, flushId));
  }
}
