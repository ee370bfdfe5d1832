/** Spreads feeds evenly over their interval: a stable offset from the feed id, not the top of the minute. */
function slotOffset(feedId: string, intervalMs: number): number {
  let h = 2166136261;
  for (let i = 0; i < feedId.length; i++) h = Math.imul(h ^ feedId.charCodeAt(i), 16777619);
  return (h >>> 0) % intervalMs;
}

/** The start of the slot `now` falls in, for a feed polled every `intervalMs` with its own offset. */
export function currentSlot(feedId: string, intervalMs: number, now: number): number {
  const offset = slotOffset(feedId, intervalMs);
  return Math.floor((now - offset) / intervalMs) * intervalMs + offset;
}
