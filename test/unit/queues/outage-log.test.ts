import { describe, expect, it } from 'vitest';
import { OutageLog } from '../../../src/queues/outage-log.js';

describe('OutageLog', () => {
  it('speaks once when a dependency goes down, every 30 s while down, and once when it is back', () => {
    const log = new OutageLog(30_000);
    const said: Array<[number, string]> = [];
    // A failure every 200 ms for 95 s, as a handful of reconnecting connections would report them.
    for (let t = 1_000; t <= 96_000; t += 200) {
      const what = log.failure(t);
      if (what) said.push([t, what]);
    }
    expect(said).toEqual([
      [1_000, 'down'],
      [31_000, 'still-down'],
      [61_000, 'still-down'],
      [91_000, 'still-down'],
    ]);
    expect(log.isDown).toBe(true);
    expect(log.downFor(96_000)).toBe(95_000);
    expect(log.recovered(97_000)).toBe(96_000);
    expect(log.isDown).toBe(false);
    expect(log.recovered(98_000)).toBeUndefined();
    // The next outage starts afresh.
    expect(log.failure(100_000)).toBe('down');
    expect(log.failure(100_500)).toBeUndefined();
  });
});
