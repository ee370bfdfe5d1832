import type { Document, Node, YAMLSeq } from 'yaml';
import { normaliseLink } from '../../articles/identity.js';
import { lazyDependency } from '../../lazy-dependency.js';
import { FeedIdAllocator, preferredFeedId } from './feed-id.js';
import type { OpmlFeed } from './parse-opml.js';

// Only `feeds import` edits feeds.yaml; the config loader plans OPML lists without loading `yaml`.
const yaml = lazyDependency<typeof import('yaml')>('yaml');

/** A feeds.yaml entry to add, in the file's own key names. */
export interface NewFeedEntry {
  id: string;
  url: string;
  tags?: string[];
  enabled?: false;
}

export interface ImportPlan {
  added: NewFeedEntry[];
  /** Outlines whose URL is already configured (or came earlier in the same file), with the id it has. */
  skipped: { url: string; title: string; existingId: string }[];
}

/**
 * Decides what an OPML import adds: one entry per URL not configured yet (URLs compared normalised,
 * so a tracking parameter or a trailing fragment does not make a duplicate), ids derived from titles and
 * unique among existing and new ones. A URL listed twice in the file (one feed in two folders) is added
 * once with the tags of both places.
 */
export function planImport(existing: { id: string; url: string }[], outlines: OpmlFeed[]): ImportPlan {
  const byUrl = new Map<string, { id: string; entry?: NewFeedEntry }>();
  for (const feed of existing) byUrl.set(normaliseLink(feed.url), { id: feed.id });
  const ids = new FeedIdAllocator(existing.map((f) => f.id));
  const plan: ImportPlan = { added: [], skipped: [] };
  for (const outline of outlines) {
    const key = normaliseLink(outline.url);
    const known = byUrl.get(key);
    if (known) {
      if (known.entry && outline.tags.length > 0) known.entry.tags = [...new Set([...(known.entry.tags ?? []), ...outline.tags])];
      plan.skipped.push({ url: outline.url, title: outline.title, existingId: known.id });
      continue;
    }
    const entry: NewFeedEntry = {
      id: ids.claim(preferredFeedId(outline)),
      url: outline.url,
      ...(outline.tags.length > 0 ? { tags: outline.tags } : {}),
      ...(outline.enabled ? {} : { enabled: false as const }),
    };
    byUrl.set(key, { id: entry.id, entry });
    plan.added.push(entry);
  }
  return plan;
}

/** The ids and URLs a feeds.yaml text already lists; throws when it is not YAML. */
export function configuredFeeds(text: string): { id: string; url: string }[] {
  const doc = parseFeedsYaml(text);
  const feeds = (doc.toJS() as { feeds?: unknown } | null)?.feeds;
  if (!Array.isArray(feeds)) return [];
  return feeds.filter(
    (f): f is { id: string; url: string } => typeof f === 'object' && f !== null && typeof f.id === 'string' && typeof f.url === 'string',
  );
}

const YAML_OUTPUT = { flowCollectionPadding: false, lineWidth: 0 } as const;

/**
 * Appends entries to the `feeds:` list of a feeds.yaml text. When the list is a block list with entries
 * (the usual case), the new entries are spliced in as text right after the last one, so every existing
 * byte stays as the user wrote it: a yaml Document round trip would re-space comments, flow lists and
 * folded strings. Otherwise (no list yet, `feeds: []`, a flow list) the Document API rewrites the file.
 * Throws when the file is not YAML or `feeds` is not a list: better to refuse than to write a file the
 * user must then repair.
 */
export function appendToFeedsYaml(text: string, entries: NewFeedEntry[]): string {
  const { isMap, isSeq } = yaml();
  const doc = parseFeedsYaml(text);
  if (doc.contents !== null && !isMap(doc.contents)) throw new Error('feeds.yaml must be a mapping with a "feeds:" list');
  const list = doc.get('feeds', true);
  const present = list !== undefined && list !== null && (list as { value?: unknown }).value !== null;
  if (present && !isSeq(list)) throw new Error('"feeds" in feeds.yaml is not a list');
  const out =
    isSeq(list) && !list.flow && list.items.length > 0 ? spliceAfterLastEntry(text, list, entries) : rewriteWithEntries(doc, entries);
  // A safety net for odd layouts: the result must list exactly the old feeds and then the new ones.
  const expected = [...configuredFeeds(text), ...entries].map((f) => f.id);
  const actual = configuredFeeds(out).map((f) => f.id);
  if (actual.join('\n') !== expected.join('\n'))
    throw new Error('could not append to feeds.yaml without changing it: add the entries by hand (see --dry-run)');
  return out;
}

function spliceAfterLastEntry(text: string, list: YAMLSeq, entries: NewFeedEntry[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const first = list.items[0] as Node;
  const last = list.items[list.items.length - 1] as Node;
  // The list's indent is that of the line holding its first "- ".
  const firstLine = text.slice(text.lastIndexOf('\n', first.range![0]) + 1);
  const indent = /^ */.exec(firstLine)![0];
  const valueEnd = last.range![1];
  const lineEnd = text[valueEnd - 1] === '\n' ? valueEnd : text.indexOf('\n', valueEnd) + 1 || text.length;
  const before = text.slice(0, lineEnd);
  const added = feedEntriesYaml(entries)
    .split('\n')
    .filter(Boolean)
    .map((line) => `${indent}${line}${eol}`)
    .join('');
  return `${before}${before.endsWith('\n') ? '' : eol}${added}${text.slice(lineEnd)}`;
}

function rewriteWithEntries(doc: Document.Parsed, entries: NewFeedEntry[]): string {
  const list = yaml().isSeq(doc.get('feeds', true)) ? (doc.get('feeds', true) as YAMLSeq) : doc.createNode([]);
  doc.set('feeds', list);
  // "feeds: []" would otherwise grow as one long flow line.
  if (list.items.length === 0) list.flow = false;
  for (const entry of entries) list.add(entryNode(doc, entry));
  return doc.toString(YAML_OUTPUT);
}

function parseFeedsYaml(text: string) {
  const doc = yaml().parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`feeds.yaml is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  return doc;
}

/** The YAML an import would append, for `--dry-run`. */
export function feedEntriesYaml(entries: NewFeedEntry[]): string {
  const doc = new (yaml().Document)([] as unknown[]);
  for (const entry of entries) (doc.contents as YAMLSeq).add(entryNode(doc, entry));
  return entries.length > 0 ? doc.toString(YAML_OUTPUT) : '';
}

function entryNode(doc: Document, entry: NewFeedEntry) {
  const node = doc.createNode(entry);
  // Tags as [a, b], as the shipped feeds.yaml writes them.
  const tags = node.get('tags', true);
  if (yaml().isSeq(tags)) tags.flow = true;
  return node;
}
