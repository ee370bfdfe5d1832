import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Collector, listSource } from '../../support/collector.js';

/** A list that grows when the test says so, watched through listSource as receivers are. */
function arrivals() {
  const list: string[] = [];
  const collector = new Collector(
    'arrivals',
    listSource(() => list),
    (s) => s,
  );
  return { list, collector };
}

describe('Collector.expectExactly', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes when exactly the expected arrive in the window and nothing follows in the quiet time', async () => {
    const { list, collector } = arrivals();
    const check = collector.expectExactly(['b', 'a'], { withinMs: 1_000, quietMs: 500 });
    list.push('a');
    await vi.advanceTimersByTimeAsync(300);
    list.push('b');
    await vi.advanceTimersByTimeAsync(600);
    await expect(check).resolves.toEqual(['a', 'b']);
  });

  it('fails at once on a surplus arrival, naming it and everything received', async () => {
    const { list, collector } = arrivals();
    const check = collector.expectExactly(['a'], { withinMs: 1_000, quietMs: 5_000 });
    const failed = expect(check).rejects.toThrow(
      /arrivals: expected exactly \[a\].*unexpected: a\nreceived:\n {2}@\d+ ms a\n {2}@\d+ ms a$/s,
    );
    list.push('a');
    await vi.advanceTimersByTimeAsync(80);
    list.push('a');
    await vi.advanceTimersByTimeAsync(40);
    await failed;
  });

  it('fails when the window passes with an expected arrival missing', async () => {
    const { list, collector } = arrivals();
    const check = collector.expectExactly(['a', 'b'], { withinMs: 1_000, quietMs: 0 });
    const failed = expect(check).rejects.toThrow(/missing after 1000 ms: b/);
    list.push('a');
    await vi.advanceTimersByTimeAsync(1_000);
    await failed;
  });

  it('with nothing expected, fails on any arrival in the quiet time and passes after it', async () => {
    const quiet = arrivals();
    const passes = quiet.collector.expectExactly([], { withinMs: 0, quietMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(passes).resolves.toEqual([]);

    const noisy = arrivals();
    const failed = expect(noisy.collector.expectExactly([], { withinMs: 0, quietMs: 1_000 })).rejects.toThrow(/unexpected: late/);
    await vi.advanceTimersByTimeAsync(900);
    noisy.list.push('late');
    await vi.advanceTimersByTimeAsync(100);
    await failed;
  });

  it('counts only what arrives after it starts, unless told where to start', async () => {
    const list = ['old'];
    const fromNow = new Collector(
      'from now',
      listSource(() => list),
      (s) => s,
    );
    const fromStart = new Collector(
      'from start',
      listSource(() => list, 0),
      (s) => s,
    );
    const checks = [
      fromNow.expectExactly([], { withinMs: 0, quietMs: 100 }),
      fromStart.expectExactly(['old'], { withinMs: 0, quietMs: 100 }),
    ];
    await vi.advanceTimersByTimeAsync(100);
    await expect(Promise.all(checks)).resolves.toEqual([[], ['old']]);
  });
});
