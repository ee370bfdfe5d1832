import { describe, expect, it } from 'vitest';
import { DueTimes } from '../../../src/schedule/due-times.js';

describe('DueTimes', () => {
  it('hands out each item once, in time order, never before its time and at most a second after', () => {
    const due = new DueTimes<string>();
    due.add('b', 4_500);
    due.add('a', 3_000);
    due.add('c', 9_001);
    expect(due.takeUntil(2_999)).toEqual([]);
    expect(due.takeUntil(4_400)).toEqual(['a']);
    // 'b' is due at 4.5 s: not in the tick at 4.6 s of the same second (handed out by second), in the next.
    expect(due.takeUntil(4_600)).toEqual([]);
    expect(due.takeUntil(5_000)).toEqual(['b']);
    expect(due.takeUntil(5_000)).toEqual([]);
    due.add('d', 1_000); // already due when added
    expect(due.takeUntil(6_000)).toEqual(['d']);
    expect(due.takeUntil(9_999)).toEqual([]);
    expect(due.takeUntil(10_000)).toEqual(['c']);
    expect(due.takeUntil(100_000)).toEqual([]);
  });

  it('never hands out an item before its time', () => {
    const due = new DueTimes<number>();
    for (let at = 0; at < 20_000; at += 37) due.add(at, at);
    for (let now = 0; now <= 21_000; now += 250) for (const at of due.takeUntil(now)) expect(at).toBeLessThanOrEqual(now);
  });

  it('takes everything overdue after a long pause without walking every second', () => {
    const due = new DueTimes<number>();
    for (let i = 0; i < 1_000; i++) due.add(i, i * 300);
    due.add(-1, 10 ** 12);
    const taken = due.takeUntil(10 ** 11);
    expect(taken).toHaveLength(1_000);
    expect(new Set(taken).size).toBe(1_000);
    expect(due.takeUntil(10 ** 12)).toEqual([-1]);
  });
});
