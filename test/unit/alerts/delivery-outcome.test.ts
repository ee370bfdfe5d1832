import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/alerts/delivery-error.js';
import { failedAttempt, retryDelay } from '../../../src/alerts/delivery-outcome.js';
import { channelRecoveredNotice } from '../../../src/alerts/notices.js';
import { alertMessage } from './message-fixture.js';

const AT = '2026-11-29T12:00:00.000Z';

describe('a failed delivery attempt', () => {
  const alert = alertMessage();
  const notice = { kind: 'notice' as const, notice: channelRecoveredNotice('other', AT) };

  it('disables the channel on 410 Gone, and is not retried', () => {
    expect(failedAttempt(new DeliveryError('gone', false, undefined, 410), alert)).toEqual({
      disableChannel: true,
      countsAgainstChannel: false,
      retry: false,
    });
  });

  it('is retried when the receiver may recover, and not when it refused the request', () => {
    expect(failedAttempt(new DeliveryError('HTTP 503', true, undefined, 503), alert)).toEqual({
      disableChannel: false,
      countsAgainstChannel: true,
      retry: true,
    });
    expect(failedAttempt(new DeliveryError('HTTP 400', false, undefined, 400), alert)).toEqual({
      disableChannel: false,
      countsAgainstChannel: true,
      retry: false,
    });
    expect(failedAttempt(new Error('socket hang up'), alert)).toEqual({ disableChannel: false, countsAgainstChannel: true, retry: true });
  });

  it('counts against the channel for alerts and digests, not for notices', () => {
    expect(failedAttempt(new DeliveryError('HTTP 503', true), notice).countsAgainstChannel).toBe(false);
  });
});

describe('the delay before a delivery is retried', () => {
  const schedule = [10_000, 60_000, 300_000];
  const middle = () => 0.5; // withJitter's ±20 % at its centre: the schedule's own value

  it("is the receiver's Retry-After when it sent one", () => {
    expect(retryDelay(new DeliveryError('HTTP 429', true, 42_000, 429), 1, schedule, middle)).toBe(42_000);
  });

  it('otherwise follows the schedule, staying on its last entry once past the end', () => {
    const err = new DeliveryError('HTTP 503', true, undefined, 503);
    expect([1, 2, 3, 4, 9].map((attempt) => retryDelay(err, attempt, schedule, middle))).toEqual([
      10_000, 60_000, 300_000, 300_000, 300_000,
    ]);
    expect(retryDelay(new Error('socket hang up'), 2, schedule, middle)).toBe(60_000);
  });

  it('spreads receivers that failed together by up to 20 % either way', () => {
    const err = new Error('timeout');
    expect([retryDelay(err, 1, schedule, () => 0), retryDelay(err, 1, schedule, () => 1)]).toEqual([8_000, 12_000]);
  });
});
