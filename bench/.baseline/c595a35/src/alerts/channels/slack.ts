import { z } from 'zod';
import type { ChannelConfigOf } from '../../config/schema.js';
import type { Message } from '../message.js';
import type { MessageContent } from '../render.js';
import { templateSchema, type ChannelTemplates } from '../templates.js';
import { channelContent, truncate } from './channel.js';
import { httpPresetChannel } from './http-preset.js';

/** Slack incoming webhook (https://api.slack.com/messaging/webhooks): the URL is the secret, set it with ${ENV}. */
export const slackSchema = z.strictObject({
  type: z.literal('slack'),
  url: z.url({ protocol: /^https?$/, error: 'url must be the Slack incoming webhook URL (https://hooks.slack.com/services/...)' }),
  template: templateSchema(['title', 'body']).optional(),
});
export type SlackChannelConfig = ChannelConfigOf<typeof slackSchema>;

// Block Kit limits: header text 150, section text 3000, 50 blocks per message.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const DIGEST_ITEMS_MAX = 20;

/** Slack mrkdwn treats &, < and > as control characters; everything from a feed is escaped. */
const mrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const linkText = (s: string) => mrkdwn(s).replace(/\|/g, '¦');
const linkUrl = (s: string) => s.replace(/[<>|]/g, (c) => encodeURIComponent(c));

type Block = Record<string, unknown>;

/** The incoming-webhook payload: Block Kit `blocks` plus `text`, the fallback notifications and old clients show. */
export function slackPayload(message: Message, content: MessageContent, listItems: boolean): { text: string; blocks: Block[]; unfurl_links: false } {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(content.title, HEADER_MAX), emoji: false } }];
  if (listItems) {
    for (const item of content.items.slice(0, DIGEST_ITEMS_MAX)) {
      blocks.push(
        { type: 'section', text: { type: 'mrkdwn', text: truncate(`*<${linkUrl(item.link)}|${linkText(item.title)}>*\n${mrkdwn(item.snippet)}`, SECTION_MAX) } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(`${item.rule} · ${item.source}, ${item.published}`) }] },
      );
    }
    const more = content.items.length - DIGEST_ITEMS_MAX;
    if (more > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${more} more` }] });
  } else {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn(content.text), SECTION_MAX) } });
    if (content.link && message.kind === 'alert') {
      blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open article' }, url: content.link }] });
    }
  }
  const fallback = content.link ? `${content.title} ${content.link}` : content.title;
  return { text: mrkdwn(fallback), blocks, unfurl_links: false };
}

export const slackChannel = httpPresetChannel(slackSchema, (message, templates, config) => ({
  url: config.url,
  contentType: 'application/json',
  body: JSON.stringify(slackPayload(message, channelContent(message, templates), message.kind === 'digest' && !templates.has('body'))),
}));
