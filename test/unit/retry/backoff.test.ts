import { describe, expect, it } from 'vitest';
import { backoffDelay, scheduledRetryDelay, withJitter } from '../../../src/retry/backoff.js';

describe('retry backoff', () => {
  it('jitters ±20% around the delay', () => {
    expect(withJitter(1_000, () => 0)).toBe(800);
    expect(withJitter(1_000, () => 0.5)).toBe(1_000);
    expect(withJitter(1_000, () => 1)).toBe(1_200);
  });

  it('doubles per attempt from the base up to the cap', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 1_000, 5_000, middle))).toEqual([1_000, 2_000, 4_000, 5_000]);
  });

  it('follows a retry schedule with the same jitter and repeats its last step', () => {
    const schedule = [5_000, 300_000];
    expect(scheduledRetryDelay(schedule, 1, () => 0.5)).toBe(5_000);
    expect(scheduledRetryDelay(schedule, 1, () => 0)).toBe(4_000);
    expect(scheduledRetryDelay(schedule, 2, () => 1)).toBe(360_000);
    expect(scheduledRetryDelay(schedule, 5, () => 0.5)).toBe(300_000);
  });
});
