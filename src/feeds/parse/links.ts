/**
 * Resolves a feed link against the first usable base (xml:base, then the feed's link, then the feed URL).
 * Only http(s) results are kept: a `javascript:` or `data:` link must never reach an alert template.
 */
export function resolveLink(link: string | undefined, ...bases: Array<string | undefined>): string | undefined {
  const value = link?.trim();
  if (!value) return undefined;
  for (const base of [...bases, undefined]) {
    let url: URL;
    try {
      url = base === undefined ? new URL(value) : new URL(value, base);
    } catch {
      continue;
    }
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  }
  return undefined;
}

/** Like resolveLink, but for a base itself: any absolute URL scheme the feed URL has (file: in offline use) is kept. */
export function resolveBase(base: string | undefined, ...parents: Array<string | undefined>): string | undefined {
  const value = base?.trim();
  if (!value) return undefined;
  for (const parent of [...parents, undefined]) {
    try {
      return (parent === undefined ? new URL(value) : new URL(value, parent)).href;
    } catch {}
  }
  return undefined;
}
