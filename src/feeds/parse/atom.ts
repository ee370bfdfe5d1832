import type { RawEntry } from './feed-document.js';
import type { XmlFeedAdapter } from './xml-adapter.js';
import { asArray, asRecord, attributesOf, first, firstText, isRecord, nodeText, sharedEntryFields, type XmlOutput } from './xml-nodes.js';

/** Atom 0.3 and 1.0. */
export const atomAdapter: XmlFeedAdapter = {
  builders: ['buildAtomFeed'],
  rootKey: 'feed',
  repairRoot: atomRootWithLinkObjects,
  namespaces: ['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#'],
  rootPrefixIsOwn: true,
  feedLink: (feed) => alternateLink(feed.linkNodes) ?? nodeText(feed.link),
  entry: atomEntry,
};

function atomEntry(item: XmlOutput): RawEntry {
  const mediaGroup = asRecord(first(item.mediaGroupNodes));
  return {
    ...sharedEntryFields(item),
    guid: nodeText(first(item.idNodes)) ?? nodeText(item['rdf:about']),
    link: alternateLink(item.linkNodes),
    summary: firstText(item.summaryNodes),
    content: firstText(item.contentNodes, item.encodedNodes, mediaGroup['media:description']),
  };
}

/** Atom <link>s as objects with attributes: <link>http://...</link> (Atom 0.3 habit) and bare <link/> included. */
function atomRootWithLinkObjects(node: unknown): Record<string, unknown> {
  const feed = isRecord(node) ? node : {};
  const repairLinks = (owner: Record<string, unknown>) => {
    if (!Array.isArray(owner.link)) return;
    owner.link = owner.link.map((link: unknown) => {
      if (isRecord(link) && isRecord(link.$)) return link;
      const text = nodeText(link)?.trim();
      return { ...asRecord(link), $: text ? { href: text } : {} };
    });
  };
  repairLinks(feed);
  for (const entry of Array.isArray(feed.entry) ? feed.entry : []) repairLinks(asRecord(entry));
  return feed;
}

/** Atom <link>s: rel="alternate" (or no rel) first, else the first link with an href. */
function alternateLink(nodes: unknown): string | undefined {
  const links = asArray(nodes).map((node) => ({ attributes: attributesOf(node), text: nodeText(node) }));
  const alternate = links.find((l) => (l.attributes.rel ?? 'alternate') === 'alternate' && l.attributes.href);
  return alternate?.attributes.href ?? links.find((l) => l.attributes.href)?.attributes.href ?? links.find((l) => l.text)?.text;
}
