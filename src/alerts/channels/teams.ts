import { z } from 'zod';
import type { ChannelConfigOf } from '../../config/schema.js';
import type { Message } from '../message.js';
import type { MessageContent } from '../render.js';
import { templateSchema, type ChannelTemplates } from '../templates.js';
import { truncate } from '../../text/truncate.js';
import { fitItems, moreLine } from '../digest-fit.js';
import { escapeMarkdown } from '../markdown.js';
import { channelContent } from './channel.js';
import { httpPresetChannel } from './http-preset.js';

/**
 * Microsoft Teams. Sends an Adaptive Card (version 1.2) in a `message` envelope, the one payload that
 * both the Workflows "When a Teams webhook request is received" trigger and the retiring Office 365
 * incoming-webhook connectors accept (legacy MessageCards are connector-only).
 */
export const teamsSchema = z.strictObject({
  type: z.literal('teams'),
  url: z.url({ protocol: /^https?$/, error: 'url must be the Teams workflow or incoming webhook URL' }),
  template: templateSchema(['title', 'body']).optional(),
});
export type TeamsChannelConfig = ChannelConfigOf<typeof teamsSchema>;

// Teams rejects messages over 28 KB; digest items get what the envelope and title leave.
const ITEMS_BUDGET_BYTES = 22_000;
const DIGEST_ITEMS_MAX = 25;
const DIGEST_TITLE_MAX = 300;
const DIGEST_SNIPPET_MAX = 500;

// Adaptive Card TextBlocks render a markdown subset: single line breaks are joined unless doubled.
const lines = (s: string) => s.replace(/\n/g, '\n\n');
const linkUrl = (s: string) => s.replace(/[() ]/g, (c) => encodeURIComponent(c).replace('(', '%28').replace(')', '%29'));
const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

type Element = Record<string, unknown>;

/** The card's text blocks for one digest item; feed text is Markdown-escaped, so only our link is a link. */
const itemBlocks = (item: MessageContent['items'][number]): Element[] => [
  { type: 'TextBlock', text: `[${escapeMarkdown(truncate(item.title, DIGEST_TITLE_MAX))}](${linkUrl(item.link)})`, wrap: true, separator: true },
  { type: 'TextBlock', text: lines(escapeMarkdown(truncate(item.snippet, DIGEST_SNIPPET_MAX))), wrap: true, spacing: 'Small' },
  { type: 'TextBlock', text: escapeMarkdown(`${item.rule} · ${item.source}, ${item.published}`), isSubtle: true, size: 'Small', wrap: true, spacing: 'None' },
];
const moreBlock = (more: number): Element => ({ type: 'TextBlock', text: moreLine(more), isSubtle: true, wrap: true });

/** The Adaptive Card message; `content` has its feed text Markdown-escaped already. */
export function teamsPayload(message: Message, content: MessageContent, listItems: boolean) {
  const body: Element[] = [{ type: 'TextBlock', text: truncate(content.title, DIGEST_TITLE_MAX), weight: 'Bolder', size: 'Medium', wrap: true }];
  if (listItems) {
    const blocks = content.items.map(itemBlocks);
    const { shown, more } = fitItems(blocks, { maxItems: DIGEST_ITEMS_MAX, budget: ITEMS_BUDGET_BYTES, cost: jsonBytes, moreCost: (n) => jsonBytes(moreBlock(n)) });
    body.push(...shown.flat());
    if (more > 0) body.push(moreBlock(more));
  } else {
    body.push({ type: 'TextBlock', text: lines(content.text), wrap: true });
  }
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

export const teamsChannel = httpPresetChannel(teamsSchema, (message, templates, config) => ({
  url: config.url,
  contentType: 'application/json',
  body: JSON.stringify(teamsPayload(message, channelContent(message, templates), message.kind === 'digest' && !templates.has('body'))),
}), 'markdown');
