import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/alerts/delivery-error.js';
import { failedAttempt } from '../../../src/alerts/delivery-outcome.js';
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
