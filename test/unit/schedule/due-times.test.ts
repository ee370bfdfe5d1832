import { describe, expect, it } from 'vitest';
import { DueTimes } from '../../../src/schedule/due-times.js';

describe('DueTimes', () => {
  it('hands out each item once, when its second has come, in time order', () => {
    const due = new DueTimes<string>();
    due.add('b', 5_500);
    due.add('a', 3_000);
    due.add('c', 9_999);
    expect(due.takeUntil(2_999)).toEqual([]);
    expect(due.takeUntil(5_000)).toEqual(['a', 'b']);
    expect(due.takeUntil(5_000)).toEqual([]);
    due.add('d', 1_000); // already due when added
    expect(due.takeUntil(6_000)).toEqual(['d']);
    expect(due.takeUntil(10_000)).toEqual(['c']);
    expect(due.takeUntil(100_000)).toEqual([]);
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
