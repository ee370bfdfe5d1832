import type { Redis } from 'ioredis';
import { THROTTLED_ROUTE, throttleWindow, type Route, type RoutePlan } from '../dispatch/route.js';
import type { AlertJob } from '../alerts/alert.js';
import type { StateKeys } from './keys.js';
import { withScripts } from './redis-scripts.js';

/**
 * Throttle counters (fixed windows) and per-channel digest buffers: where alerts wait when a channel
 * is in digest mode, muted, or over its throttle.
 */
export class Pacing {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

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
    const fields = (await withScripts(this.redis).takeDigestBuffer(
      this.keys.digestBuffer(channelId),
      this.keys.digestTaking(channelId),
      flushId,
      FLUSH_FIELD,
    )) as string[];
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
   * The route of an alert on a channel, decided once and counted against its throttles in the same
   * script: a retried dispatch gets the stored route back (a throttle window may have rolled over
   * meanwhile, which would send and buffer one alert) and never counts the alert twice. An alert routed
   * to the digest buffer goes into it (under its delivery id) in the same step, so a digest flushed
   * before a retry cannot get it a second time.
   */
  async route(alert: AlertJob, channelId: string, deliveryId: string, plan: RoutePlan, now = Date.now()): Promise<Route> {
    const counters = plan.limits.map((l) => this.keys.throttle(l.scope, throttleWindow(l, now)));
    const limitArgs = plan.limits.flatMap((l) => [l.max, l.perMs * 2]);
    // The alert is serialised only when some route of the plan buffers it: most alerts are just sent.
    const mayBuffer = plan.route.action === 'buffer' || plan.limits.length > 0;
    const stored = (await withScripts(this.redis).routeAlert(
      2 + counters.length,
      this.keys.routes(alert.alertId),
      this.keys.digestBuffer(channelId),
      ...counters,
      channelId,
      ROUTE_TTL_MS,
      JSON.stringify(plan.route),
      JSON.stringify(plan.limits.length > 0 ? THROTTLED_ROUTE : plan.route),
      deliveryId,
      mayBuffer ? JSON.stringify(alert) : '',
      ...limitArgs,
    )) as string;
    return JSON.parse(stored) as Route;
  }
}

/** The field of a taken digest buffer that names the flush owning it. */
const FLUSH_FIELD = '__flush';
const ROUTE_TTL_MS = 7 * 86_400_000;
