import { createHash } from 'node:crypto';

/**
 * Query parameters that only say how a reader arrived (campaign tracking, click ids). Removing them makes
 * the same article reached from a newsletter, a social post and a feed one link.
 */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  'wt.mc_id',
  'cmpid',
  'ocid',
  'ref',
  'ref_src',
]);
const TRACKING_PREFIXES = ['utm_', 'at_', 'pk_', 'mtm_'];

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * A canonical form of an article URL for identity: lower-case scheme and host (WHATWG URL does that),
 * no fragment, no default port, no tracking parameters, remaining parameters sorted.
 * Returns the input trimmed when it is not an absolute URL.
 */
export function normaliseLink(link: string): string {
  const trimmed = link.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return trimmed;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return url.href;
  url.hash = '';
  if (url.port === DEFAULT_PORTS[url.protocol]) url.port = '';
  const kept = [...url.searchParams].filter(([name]) => !isTrackingParam(name));
  kept.sort(([a, av], [b, bv]) => (a === b ? compare(av, bv) : compare(a, b)));
  url.search = new URLSearchParams(kept).toString();
  return url.href;
}

function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMS.has(lower) || TRACKING_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What an article's identity may be derived from, most stable first. */
export interface IdentitySource {
  feedId: string;
  /** RSS guid / Atom id / JSON Feed id, as published. */
  guid?: string;
  /** The article link, already resolved to an absolute URL. */
  link?: string;
  title?: string;
  content?: string;
}

/**
 * The stable id of an article: 22 characters of base64url SHA-256, so it is safe in BullMQ job ids and Redis
 * keys (no ":", never all digits). From the guid when there is one (a URL guid normalised like a link, so one
 * article in two feeds is one article; any other guid scoped to its feed, as "123" means nothing across feeds),
 * else the normalised link, else the title and content. Title and content are used only as a last resort, so
 * editing a headline does not make a new article.
 */
export function articleId(source: IdentitySource): string {
  return digest(identityKey(source));
}

/** The string the id is a hash of; exposed so seen-item records and logs can show what an id stands for. */
function identityKey(source: IdentitySource): string {
  const guid = source.guid?.trim();
  if (guid) return isAbsoluteHttpUrl(guid) ? `url:${normaliseLink(guid)}` : `guid:${source.feedId}:${guid}`;
  const link = source.link?.trim();
  if (link) return `url:${normaliseLink(link)}`;
  return `text:${source.feedId}:${(source.title ?? '').trim()}\n${(source.content ?? '').trim()}`;
}

function isAbsoluteHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/]+/i.test(value);
}

function digest(key: string): string {
  const id = createHash('sha256').update(key).digest('base64url').slice(0, 22);
  // base64url has no ":"; 22 characters of it are all digits with probability ~1e-22, but make it impossible.
  return /^\d+$/.test(id) ? `a${id.slice(1)}` : id;
}
