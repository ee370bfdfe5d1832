/** Polls until `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Collects what `subscribe` reports during a declared window of `ms`, then returns it once: the way
 * to show that something happened exactly N times, instead of sleeping and looking afterwards.
 */
export async function collectFor<T>(ms: number, subscribe: (push: (event: T) => void) => () => void): Promise<T[]> {
  const events: T[] = [];
  const unsubscribe = subscribe((e) => events.push(e));
  await new Promise<void>((resolve) => setTimeout(resolve, ms));
  unsubscribe();
  return events;
}
