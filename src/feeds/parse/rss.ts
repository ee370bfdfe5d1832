import type { RawEntry } from './feed-document.js';
import type { XmlFeedAdapter } from './xml-adapter.js';
import { asArray, asRecord, attributesOf, first, firstText, isRecord, nodeText, sharedEntryFields, type XmlOutput } from './xml-nodes.js';

/** RSS 0.9x and 2.0. */
export const rssAdapter: XmlFeedAdapter = {
  builders: ['buildRSS0_9', 'buildRSS2'],
  rootKey: 'rss',
  // <item>s outside <channel> are an RSS 0.9x habit.
  repairRoot: (root) => rssRootWithChannel(root, { moveStrayItems: true }),
  namespaces: ['http://backend.userland.com/rss2', 'http://backend.userland.com/rss'],
  rootPrefixIsOwn: true,
  feedLink: rssFeedLink,
  entry: rssEntry,
};

/**
 * An RSS or RDF root with a channel object; with `moveStrayItems`, <item>s outside <channel> are moved
 * into it (RDF keeps its items beside the channel, where rss-parser looks for them).
 */
export function rssRootWithChannel(node: unknown, { moveStrayItems }: { moveStrayItems: boolean }): Record<string, unknown> {
  const root = isRecord(node) ? node : {};
  const channels = Array.isArray(root.channel) ? root.channel : [];
  const channel = isRecord(channels[0]) ? channels[0] : {};
  if (moveStrayItems && Array.isArray(root.item)) {
    channel.item = [...(Array.isArray(channel.item) ? channel.item : []), ...root.item];
  }
  root.channel = [channel, ...channels.slice(1)];
  return root;
}

/** The plain <link> element; atom:link (self) is a different key. */
export function rssFeedLink(feed: XmlOutput): string | undefined {
  return linkNodesText(feed.linkNodes) ?? nodeText(feed.link);
}

/** An RSS or RDF <item>. */
export function rssEntry(item: XmlOutput): RawEntry {
  const mediaGroup = asRecord(first(item.mediaGroupNodes));
  const description = firstText(item.descriptionNodes, item.dcDescriptionNodes);
  return {
    ...sharedEntryFields(item),
    guid: nodeText(first(item.guidNodes)) ?? nodeText(item['rdf:about']),
    link: linkNodesText(item.linkNodes) ?? permalinkGuid(item.guidNodes),
    summary: firstText(
      item.descriptionNodes,
      item.dcDescriptionNodes,
      item.summaryNodes,
      item.itunesSummaryNodes,
      item.mediaDescriptionNodes,
      mediaGroup['media:description'],
    ),
    content: firstText(
      item.encodedNodes,
      item.xhtmlBodyNodes,
      item.bodyNodes,
      item.fullitemNodes,
      description ? undefined : item.contentNodes,
    ),
  };
}

/** RSS <link>: the first one with text (some feeds repeat it or leave one empty). */
function linkNodesText(nodes: unknown): string | undefined {
  for (const node of asArray(nodes)) {
    const text = nodeText(node);
    if (text) return text;
    const href = attributesOf(node).href;
    if (href) return href;
  }
  return undefined;
}

/** A guid is the article's URL unless isPermaLink="false" says otherwise (RSS 2.0). */
function permalinkGuid(nodes: unknown): string | undefined {
  const node = first(nodes);
  const text = nodeText(node);
  if (!text || attributesOf(node).isPermaLink === 'false') return undefined;
  return /^https?:\/\//i.test(text) ? text : undefined;
}
