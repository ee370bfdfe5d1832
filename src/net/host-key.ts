/** The politeness key of a feed URL: host and port; local files are not limited. */
export function hostKey(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}
