import { CONFIG_ID } from '../../config/fields/ids.js';

/** Letters that Unicode decomposition does not split into an ASCII base and a mark. */
const FOLDED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i' };

const MAX_SLUG = 60;

/** "Le Monde: À la une" -> "le-monde-a-la-une": ASCII letters and digits joined by single hyphens. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðłþı]/g, (c) => FOLDED[c] ?? c)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= MAX_SLUG) return slug;
  // Cut at a word boundary; one character more tells whether the cut falls right on one.
  const head = slug.slice(0, MAX_SLUG + 1);
  const lastHyphen = head.lastIndexOf('-');
  return lastHyphen > 0 ? head.slice(0, lastHyphen) : slug.slice(0, MAX_SLUG);
}

export function isValidFeedId(id: string): boolean {
  return CONFIG_ID.test(id);
}

/** The id a feed would like: a valid explicit id as is, else the slug of its title, else of its URL's host. */
export function preferredFeedId(feed: { id?: string; title?: string; url: string }): string {
  if (feed.id && isValidFeedId(feed.id)) return feed.id;
  return slugify(feed.title ?? '') || slugify(hostOf(feed.url).replace(/^www\./, '')) || 'feed';
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/**
 * Hands out feed ids unique among the taken ones: the first "bbc" stays "bbc", later ones become
 * "bbc-2", "bbc-3". Compared without case, so "BBC" and "bbc" never both appear as Redis keys.
 */
export class FeedIdAllocator {
  private readonly taken = new Set<string>();

  constructor(existing: Iterable<string> = []) {
    for (const id of existing) this.taken.add(id.toLowerCase());
  }

  claim(preferred: string): string {
    let id = preferred;
    for (let n = 2; this.taken.has(id.toLowerCase()); n++) id = `${preferred}-${n}`;
    this.taken.add(id.toLowerCase());
    return id;
  }
}
