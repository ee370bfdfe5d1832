/** ±20% around `ms`, so that feeds or receivers that failed together do not retry together. */
export function withJitter(ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (0.8 + 0.4 * random()));
}

/** Exponential backoff with jitter. `attempt` counts from 1. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  return withJitter(Math.min(baseMs * 2 ** Math.max(0, attempt - 1), capMs), random);
}

/** Delay before retry number `attemptsMade` (1-based): the schedule's entry with jitter, its last entry once past the end. */
export function scheduledRetryDelay(schedule: readonly number[], attemptsMade: number, random: () => number = Math.random): number {
  const base = schedule[Math.min(attemptsMade, schedule.length) - 1] ?? 0;
  return withJitter(base, random);
}
