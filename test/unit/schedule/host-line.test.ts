import { describe, expect, it } from 'vitest';
import { HostLine } from '../../../src/schedule/host-line.js';

describe('HostLine', () => {
  it('gives the jobs a busy host turned away one turn each, a gap apart', () => {
    const line = new HostLine();
    const turns = [0, 1, 2, 3].map(() => line.retryAt('a.example:80', 400, 1_000, false, 10_000));
    expect(turns).toEqual([10_400, 11_400, 12_400, 13_400]);
  });

  it('keeps hosts apart, and starts a drained line from the gate wait', () => {
    const line = new HostLine();
    expect(line.retryAt('a.example:80', 500, 1_000, false, 0)).toBe(500);
    expect(line.retryAt('b.example:80', 500, 1_000, false, 0)).toBe(500);
    expect(line.retryAt('a.example:80', 200, 1_000, false, 60_000)).toBe(60_200);
  });

  it('lets a job that already had its turn retry after the gate wait, without a new turn', () => {
    const line = new HostLine();
    line.retryAt('a.example:80', 1_000, 1_000, false, 0);
    expect(line.retryAt('a.example:80', 50, 1_000, true, 1_000)).toBe(1_050);
    expect(line.retryAt('a.example:80', 1_000, 1_000, false, 1_000)).toBe(2_000);
  });

  it('gives a job whose turn was missed (a long gate wait) a new turn at the end of the line', () => {
    const line = new HostLine();
    line.retryAt('a.example:80', 1_000, 1_000, false, 0);
    expect(line.retryAt('a.example:80', 900, 1_000, true, 30_000)).toBe(30_900);
    expect(line.retryAt('a.example:80', 900, 1_000, true, 30_000)).toBe(31_900);
  });

  it('forgets drained hosts once it holds many', () => {
    const line = new HostLine();
    for (let i = 0; i <= 1_000; i++) line.retryAt(`h${i}:80`, 10, 1_000, false, 0);
    line.retryAt('late:80', 10, 1_000, false, 5_000);
    expect((line as unknown as { lastTurn: Map<string, number> }).lastTurn.size).toBe(1);
  });
});
