/**
 * When to retry a fetch that the host gate turned away. With one short wait for everyone, all the
 * jobs of a busy host come back together and all but one are turned away again: at a first start
 * with 100 feeds per site, that churn cost more CPU than the fetches. So each host gets a line: a job
 * turned away for the first time takes the next turn, one gap after the last turn handed out; a job
 * that already had a turn and came back a little early (the one before it started late) retries
 * after the gate's own wait, keeping its place. Per process, like the gate.
 */
export class HostLine {
  private readonly lastTurn = new Map<string, number>();

  /** Epoch ms at which to try again. */
  retryAt(host: string, gateWaitMs: number, gapMs: number, hadTurn: boolean, now = Date.now()): number {
    // A short wait means the turn before ran a little late; a long one, that its turn was missed
    // (worker slots all busy) along with its neighbours', which would come back together: new turn.
    if (hadTurn && gateWaitMs < gapMs / 2) return now + gateWaitMs;
    const turn = Math.max(now + gateWaitMs, (this.lastTurn.get(host) ?? -Infinity) + gapMs);
    this.lastTurn.set(host, turn);
    // Forget lines that have drained, so many hosts do not keep an entry each.
    if (this.lastTurn.size > 1_000) for (const [h, t] of this.lastTurn) if (t < now) this.lastTurn.delete(h);
    return turn;
  }
}
