import { escapeUTF8 } from 'entities';
import { ID_ATTRIBUTE, NEWSWATCH_OPML_NS } from './parse-opml.js';

export interface ExportFeed {
  id: string;
  url: string;
  tags: string[];
  enabled: boolean;
}

/**
 * OPML 2.0 of the configured feeds. Each feed sits in a category outline named after its first tag (what
 * readers that only know folders understand) and lists all its tags in `category`; disabled feeds are
 * commented out with `isComment`. The exact id rides along in `newswatch:id` so import gives it back.
 */
export function buildOpml(feeds: ExportFeed[], title = 'newswatch feeds'): string {
  const byFolder = new Map<string, ExportFeed[]>();
  for (const feed of feeds) {
    const folder = feed.tags[0] ?? '';
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), feed]);
  }
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<opml version="2.0" xmlns:newswatch="${NEWSWATCH_OPML_NS}">`,
    '  <head>',
    `    <title>${escapeUTF8(title)}</title>`,
    '  </head>',
    '  <body>',
  ];
  for (const [folder, members] of byFolder) {
    const indent = folder ? '      ' : '    ';
    if (folder) lines.push(`    <outline ${attributes({ text: folder, title: folder })}>`);
    for (const feed of members) lines.push(`${indent}<outline ${attributes(feedAttributes(feed))}/>`);
    if (folder) lines.push('    </outline>');
  }
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}

function feedAttributes(feed: ExportFeed): Record<string, string | undefined> {
  return {
    type: 'rss',
    text: feed.id,
    title: feed.id,
    xmlUrl: feed.url,
    category: feed.tags.length > 0 ? feed.tags.map((t) => `/${t.replace(/[,/]/g, ' ')}`).join(',') : undefined,
    isComment: feed.enabled ? undefined : 'true',
    [ID_ATTRIBUTE]: feed.id,
  };
}

function attributes(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}="${escapeUTF8(value)}"`)
    .join(' ');
}
