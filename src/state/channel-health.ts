import type { Redis } from 'ioredis';
import type { StateKeys } from './keys.js';
import { withScripts } from './redis-scripts.js';

export interface ChannelHealthState {
  /** Epoch ms of the first failure since the last success. */
  failingSince?: number;
  lastError?: string;
  /** Set once the failure has lasted long enough to be reported. */
  unhealthy?: boolean;
  /** Why the channel was disabled (410 Gone), and for which config of it. */
  disabledReason?: string;
  disabledConfig?: string;
}

/**
 * Per-channel delivery health. A channel disabled by its receiver (410) stays disabled until its
 * config changes: the disable record names the config fingerprint it applies to.
 */
export class ChannelHealth {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  async get(channelId: string): Promise<ChannelHealthState> {
    const raw = await this.redis.hgetall(this.keys.channel(channelId));
    return {
      failingSince: raw.failingSince ? Number(raw.failingSince) : undefined,
      lastError: raw.lastError,
      unhealthy: raw.unhealthy === '1',
      disabledReason: raw.disabledReason,
      disabledConfig: raw.disabledConfig,
    };
  }

  /** Returns whether the channel had been reported unhealthy (so a recovery notice is due). */
  async recordSuccess(channelId: string): Promise<boolean> {
    // One script rather than MULTI/HGET/HDEL/EXEC: it runs on every delivery, and pipelines with the others.
    return (await withScripts(this.redis).channelSuccess(this.keys.channel(channelId))) === 1;
  }

  /** Returns true exactly once: when the failure has lasted `failingForMs` and is not yet reported. */
  async recordFailure(channelId: string, error: string, failingForMs: number, now = Date.now()): Promise<boolean> {
    const key = this.keys.channel(channelId);
    // Read back in the same transaction: a success on another worker may delete the hash in between.
    const replies = (await this.redis
      .multi()
      .hsetnx(key, 'failingSince', now)
      .hset(key, 'lastError', error)
      .hget(key, 'failingSince')
      .exec()) as Array<[Error | null, unknown]>;
    const since = Number(replies[2]?.[1] ?? now);
    if (now - since < failingForMs) return false;
    return (await this.redis.hsetnx(key, 'unhealthy', '1')) === 1;
  }

  async disable(channelId: string, configFingerprint: string, reason: string): Promise<void> {
    await this.redis.hset(this.keys.channel(channelId), { disabledReason: reason, disabledConfig: configFingerprint });
  }

  /** The reason, while the channel is disabled for this very config. */
  async disabledReason(channelId: string, configFingerprint: string): Promise<string | undefined> {
    const [reason, config] = await this.redis.hmget(this.keys.channel(channelId), 'disabledReason', 'disabledConfig');
    return reason && config === configFingerprint ? reason : undefined;
  }
}
