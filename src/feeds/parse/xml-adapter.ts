import type { RawEntry } from './feed-document.js';
import type { XmlOutput } from './xml-nodes.js';

/**
 * What one XML format contributes to the runner (xml-feed.ts): how to repair its root before
 * rss-parser's builder reads it, which namespace prefixes are its own, and how its feed and items
 * become the common RawFeed. Format quirks stay in the adapter (rss.ts, rdf.ts, atom.ts).
 */
export interface XmlFeedAdapter {
  /** rss-parser's builders for this format, and the key of the root element they are handed. */
  builders: readonly string[];
  rootKey: string;
  /** The root as the builder expects it: rss-parser dereferences without checking. */
  repairRoot(root: unknown): Record<string, unknown>;
  /** Namespaces whose elements are the format's own: a prefix bound to one of them is dropped. */
  namespaces: readonly string[];
  /** Whether a prefix on the root element is the format's own (not RDF's: its root is in the RDF namespace). */
  rootPrefixIsOwn: boolean;
  feedLink(feed: XmlOutput): string | undefined;
  entry(item: XmlOutput): RawEntry;
}
