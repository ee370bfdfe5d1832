/** Exit codes other tools rely on: like grep, 1 is a negative answer, not a failure. */
export const EXIT = { ok: 0, negative: 1, error: 2 } as const;
