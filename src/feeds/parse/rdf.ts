import { rssEntry, rssFeedLink, rssRootWithChannel } from './rss.js';
import type { XmlFeedAdapter } from './xml-adapter.js';

/** RDF: RSS 1.0 and 0.90. Its items are RSS items; they sit beside the channel, not in it. */
export const rdfAdapter: XmlFeedAdapter = {
  builders: ['buildRSS1'],
  rootKey: 'rdf:RDF',
  repairRoot: (root) => rssRootWithChannel(root, { moveStrayItems: false }),
  namespaces: ['http://purl.org/rss/1.0/', 'http://my.netscape.com/rdf/simple/0.9/'],
  rootPrefixIsOwn: false,
  feedLink: rssFeedLink,
  entry: rssEntry,
};
