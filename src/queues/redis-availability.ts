import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.js';
import { OutageLog, outageDuration } from './outage-log.js';

/**
 * Says when Redis goes away while newswatch runs and when it is back: one line each, and one every
 * 30 s in between, however many connections (shared client, one blocking connection per worker) see
 * each reconnect attempt fail.
 */
export class RedisAvailability {
  private readonly outage = new OutageLog(30_000);
  private main?: Redis;
  private closing = false;

  constructor(
    private readonly where: string,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether Redis is down as far as the shared connection knows. */
  get down(): boolean {
    return this.outage.isDown;
  }

  /** The shared connection: its errors and its returns are what "down" and "back" mean. */
  watch(connection: Redis): void {
    this.main = connection;
    connection.on('error', (err: Error) => this.failed(err));
    connection.on('ready', () => {
      const lasted = this.outage.recovered(this.now());
      if (lasted !== undefined && !this.closing) this.log.info(`Redis at ${this.where} is back after ${outageDuration(lasted)}`);
    });
  }

  /**
   * A BullMQ worker's error: part of the outage while the shared connection is not ready (each worker's
   * own connection fails on every attempt too); otherwise a real worker problem, worth its own line.
   */
  workerError(queue: string, err: Error): void {
    if (this.closing) return;
    if (this.outage.isDown || isConnectionError(err) || (this.main && this.main.status !== 'ready')) return this.failed(err);
    this.log.warn({ queue, err: err.message }, 'worker error');
  }

  /** From now on the connections close on purpose: nothing to report. */
  close(): void {
    this.closing = true;
  }

  private failed(err: Error): void {
    if (this.closing) return;
    const what = this.outage.failure(this.now());
    if (what === 'down')
      this.log.warn({ err: err.message }, `lost the connection to Redis at ${this.where} (${err.message}): waiting for it to come back`);
    else if (what === 'still-down')
      this.log.warn(
        { err: err.message },
        `waiting for Redis at ${this.where} (down for ${outageDuration(this.outage.downFor(this.now()))}: ${err.message})`,
      );
    else this.log.debug({ err: err.message }, 'Redis connection error');
  }
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** A lost or refused connection (often seen by a worker's own connection before the shared one notices). */
function isConnectionError(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return (
    (code !== undefined && CONNECTION_ERROR_CODES.has(code)) ||
    /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|EPIPE/.test(err.message)
  );
}
