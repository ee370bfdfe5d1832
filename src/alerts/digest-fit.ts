/**
 * Digests on receivers with size limits list as many items as fit, then say how many more there were and
 * where to see them: an alert is never dropped without a word.
 */

/** The closing line of a digest that could not show everything. */
export const moreLine = (more: number) => `…and ${more} more (see them with \`newswatch alerts\`)`;

export interface FitLimits<T> {
  /** Most items the receiver takes (blocks, embeds), whatever their size. */
  maxItems?: number;
  /** Room for all items together, in the unit `cost` measures. */
  budget: number;
  /** What one item takes of the budget. */
  cost: (item: T) => number;
  /** What the "and N more" line takes: reserved whenever not everything fits. */
  moreCost?: (more: number) => number;
}

/** The leading items that fit, and how many did not. */
export function fitItems<T>(items: readonly T[], limits: FitLimits<T>): { shown: T[]; more: number } {
  const { maxItems = Infinity, budget, cost, moreCost = () => 0 } = limits;
  const shown: T[] = [];
  let used = 0;
  for (const item of items) {
    const c = cost(item);
    if (shown.length >= maxItems || used + c > budget) break;
    shown.push(item);
    used += c;
  }
  // When something is left out, the "and N more" line must fit too: give back items until it does.
  while (shown.length < items.length && shown.length > 0 && used + moreCost(items.length - shown.length) > budget)
    used -= cost(shown.pop()!);
  return { shown, more: items.length - shown.length };
}
