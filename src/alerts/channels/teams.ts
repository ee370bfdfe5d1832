import type { Message } from '../message.js';
import type { MessageContent } from '../render.js';
import { measures, truncate } from '../../text/truncate.js';
import { fitItems, moreLine } from '../digest-fit.js';
import { escapeMarkdown } from '../markdown.js';
import { alertView, compactHeadline, compactMeta, digestView, type AlertView, type DigestView, type ViewSettings } from '../view-model.js';
import { markdownJsonPresetChannel } from './http-preset.js';
import { teamsSchema } from './channel-schemas.js';

// Teams rejects messages over 28 KB; alert text and digest items get what the envelope and title leave.
const BODY_BUDGET_BYTES = 22_000;
const DIGEST_ITEMS_MAX = 40;
const TITLE_MAX = 300;
const SNIPPET_MAX = 2000;

// Adaptive Card TextBlocks render a markdown subset: single line breaks are joined unless doubled.
const lines = (s: string) => s.replace(/\n/g, '\n\n');
const linkUrl = (s: string) => s.replace(/[() ]/g, (c) => encodeURIComponent(c).replace('(', '%28').replace(')', '%29'));
const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

type Element = Record<string, unknown>;

const textBlock = (text: string, extra: Element = {}): Element => ({ type: 'TextBlock', text, wrap: true, ...extra });
const moreBlock = (more: number): Element => textBlock(moreLine(more), { isSubtle: true });
const snippetMarkdown = (view: AlertView) =>
  truncateSnippet(view)
    .map((p) => (p.matched && p.text.trim() ? `**${escapeMarkdown(p.text)}**` : escapeMarkdown(p.text)))
    .join('');
const truncateSnippet = (view: AlertView) => {
  let left = SNIPPET_MAX;
  return view.snippet.map((p) => {
    const text = truncate(p.text, Math.max(left, 0));
    left -= text.length;
    return { ...p, text };
  });
};

/** An alert: headline (linked), highlighted snippet, and a FactSet with rule, source, time, why, story, facts, labels. */
function alertBody(view: AlertView): Element[] {
  const facts = [
    { title: 'Rule', value: escapeMarkdown(`${view.rule.name} (${view.rule.severity})`) },
    {
      title: 'Source',
      value: escapeMarkdown(
        `${view.source.name}${view.source.host && view.source.host !== view.source.name ? ` (${view.source.host})` : ''}`,
      ),
    },
    { title: 'Published', value: view.published.text },
  ];
  if (view.why) facts.push({ title: 'Matched', value: escapeMarkdown(view.matched.join(', ')) });
  if (view.story)
    facts.push({
      title: 'Story',
      value: `${view.story.line}: ${view.story.others.map((o) => `[${escapeMarkdown(o.host || 'link')}](${linkUrl(o.link)})`).join(', ')}`,
    });
  if (view.facts) facts.push({ title: 'Facts', value: escapeMarkdown(view.facts) });
  if (view.changes) facts.push({ title: 'What changed', value: escapeMarkdown(view.changes) });
  for (const l of view.labels) facts.push({ title: escapeMarkdown(l.name), value: escapeMarkdown(l.value) });
  const headline = escapeMarkdown(view.headline);
  return [
    textBlock(view.link ? `[${headline}](${linkUrl(view.link)})` : headline, { weight: 'Bolder', size: 'Medium' }),
    textBlock(lines(snippetMarkdown(view))),
    { type: 'FactSet', facts, spacing: 'Medium' },
  ];
}

/** A digest: header, then per rule a heading and one line per item, as many as fit in the card. */
function digestBody(view: DigestView): Element[] {
  const body: Element[] = [textBlock(escapeMarkdown(truncate(view.header, TITLE_MAX)), { weight: 'Bolder', size: 'Medium' })];
  if (view.reason) body.push(textBlock(view.reason, { isSubtle: true, spacing: 'None' }));
  const firstOfGroup = new Set(view.groups.map((g) => g.stories[0]![0]!));
  const blocksOf = (item: AlertView): Element[] => [
    ...(firstOfGroup.has(item) ? [textBlock(`**${escapeMarkdown(item.rule.name)}**`, { separator: true })] : []),
    textBlock(`[${escapeMarkdown(compactHeadline(item))}](${linkUrl(item.link)}) — ${escapeMarkdown(compactMeta(item))}`, {
      spacing: 'Small',
    }),
  ];
  const { shown, more } = fitItems(view.items, {
    maxItems: DIGEST_ITEMS_MAX,
    budget: BODY_BUDGET_BYTES,
    cost: (item) => jsonBytes(blocksOf(item)),
    moreCost: (n) => jsonBytes(moreBlock(n)),
  });
  body.push(...shown.flatMap(blocksOf));
  if (more > 0) body.push(moreBlock(more));
  return body;
}

/** The Adaptive Card message. Feed text is Markdown-escaped; `content` (templates) has its values escaped already. */
export function teamsPayload(message: Message, content: MessageContent, templated: boolean, settings?: ViewSettings) {
  let body: Element[];
  if (!templated && message.kind === 'alert') body = alertBody(alertView(message.alert, settings));
  else if (!templated && message.kind === 'digest') body = digestBody(digestView(message, settings));
  else
    body = [
      textBlock(truncate(content.title, TITLE_MAX), { weight: 'Bolder', size: 'Medium' }),
      textBlock(lines(truncate(content.text, BODY_BUDGET_BYTES, { measure: measures.utf8 }))),
    ];
  const actions = content.link && message.kind === 'alert' ? [{ type: 'Action.OpenUrl', title: 'Open article', url: content.link }] : [];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.2',
          body,
          ...(actions.length > 0 ? { actions } : {}),
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}

/**
 * Microsoft Teams. Sends an Adaptive Card (version 1.2) in a `message` envelope, the one payload that
 * both the Workflows "When a Teams webhook request is received" trigger and the retiring Office 365
 * incoming-webhook connectors accept (legacy MessageCards are connector-only).
 */
export const teamsChannel = markdownJsonPresetChannel(teamsSchema, teamsPayload);
