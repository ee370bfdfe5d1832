import { z } from 'zod';
import type { ChannelConfigOf } from '../../config/schema.js';
import type { Message } from '../message.js';
import type { MessageContent } from '../render.js';
import { templateSchema, type ChannelTemplates } from '../templates.js';
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

const DIGEST_ITEMS_MAX = 25;

// Adaptive Card TextBlocks render a markdown subset: single line breaks are joined unless doubled,
// and a bracket or parenthesis would end a link early.
const lines = (s: string) => s.replace(/\n/g, '\n\n');
const linkText = (s: string) => s.replace(/\[/g, '(').replace(/\]/g, ')');
const linkUrl = (s: string) => s.replace(/[() ]/g, (c) => encodeURIComponent(c).replace('(', '%28').replace(')', '%29'));

type Element = Record<string, unknown>;

export function teamsPayload(message: Message, content: MessageContent, listItems: boolean) {
  const body: Element[] = [{ type: 'TextBlock', text: content.title, weight: 'Bolder', size: 'Medium', wrap: true }];
  if (listItems) {
    for (const item of content.items.slice(0, DIGEST_ITEMS_MAX)) {
      body.push(
        { type: 'TextBlock', text: `[${linkText(item.title)}](${linkUrl(item.link)})`, wrap: true, separator: true },
        { type: 'TextBlock', text: lines(item.snippet), wrap: true, spacing: 'Small' },
        { type: 'TextBlock', text: `${item.rule} · ${item.source}, ${item.published}`, isSubtle: true, size: 'Small', wrap: true, spacing: 'None' },
      );
    }
    const more = content.items.length - DIGEST_ITEMS_MAX;
    if (more > 0) body.push({ type: 'TextBlock', text: `and ${more} more`, isSubtle: true });
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
}));
