import { z } from 'zod';
import type { ChannelConfigOf } from '../../config/schema.js';
import type { Message } from '../message.js';
import type { MessageContent } from '../render.js';
import { templateSchema, type ChannelTemplates } from '../templates.js';
import { channelContent, truncate } from './channel.js';
import { httpPresetChannel } from './http-preset.js';

/** Discord webhook (https://discord.com/developers/docs/resources/webhook#execute-webhook): the URL is the secret. */
export const discordSchema = z.strictObject({
  type: z.literal('discord'),
  url: z.url({ protocol: /^https?$/, error: 'url must be the Discord webhook URL (https://discord.com/api/webhooks/...)' }),
  template: templateSchema(['title', 'body']).optional(),
});
export type DiscordChannelConfig = ChannelConfigOf<typeof discordSchema>;

// Discord's limits: content 2000, embed title 256, description 4096, footer 2048,
// 10 embeds per message and 6000 characters across all of them.
export const DISCORD_LIMITS = { content: 2000, title: 256, description: 4096, footer: 2048, embeds: 10, total: 6000 } as const;

const SEVERITY_COLORS: Record<string, number> = { info: 0x95a5a6, low: 0x3498db, medium: 0xf1c40f, high: 0xe67e22, critical: 0xe74c3c };

export interface DiscordEmbed {
  title: string;
  url?: string;
  description?: string;
  color?: number;
  footer?: { text: string };
}

const length = (s: string | undefined) => (s ? [...s].length : 0);

/** Fits embeds into the per-field limits and the 6000-character total; embeds that no longer fit are dropped. */
export function fitEmbeds(embeds: DiscordEmbed[]): DiscordEmbed[] {
  const fitted: DiscordEmbed[] = [];
  let budget: number = DISCORD_LIMITS.total;
  for (const embed of embeds.slice(0, DISCORD_LIMITS.embeds)) {
    const title = truncate(embed.title || '(untitled)', Math.min(DISCORD_LIMITS.title, budget));
    const footer = embed.footer && truncate(embed.footer.text, DISCORD_LIMITS.footer);
    const left = budget - length(title) - length(footer);
    // Keep an embed only when it still has room to say something beyond its title.
    if (left < Math.min(length(embed.description), 100) || left <= 0) break;
    const description = embed.description ? truncate(embed.description, Math.min(DISCORD_LIMITS.description, left)) : undefined;
    budget = left - length(description);
    // Discord rejects empty strings, so empty fields are left out.
    const { url, color } = embed;
    fitted.push({ title, ...(url ? { url } : {}), ...(description ? { description } : {}), ...(color !== undefined ? { color } : {}), ...(footer ? { footer: { text: footer } } : {}) });
  }
  return fitted;
}

function severityOf(message: Message): string | undefined {
  return message.kind === 'alert' ? message.alert.rule.severity : undefined;
}

/** The execute-webhook payload: embeds, and no pings whatever the feed text contains. */
export function discordPayload(message: Message, content: MessageContent, listItems: boolean) {
  const color = SEVERITY_COLORS[severityOf(message) ?? ''];
  const wanted: DiscordEmbed[] = listItems
    ? content.items.map((i) => ({ title: i.title, url: i.link || undefined, description: i.snippet, footer: { text: `${i.rule} · ${i.source}, ${i.published}` } }))
    : [{ title: content.title, url: content.link, description: content.text, ...(color !== undefined ? { color } : {}) }];
  const embeds = fitEmbeds(wanted);
  const more = wanted.length - embeds.length;
  const heading = listItems ? `**${content.title}**${more > 0 ? ` (${more} more not shown)` : ''}` : undefined;
  return {
    ...(heading ? { content: truncate(heading, DISCORD_LIMITS.content) } : {}),
    embeds,
    allowed_mentions: { parse: [] as string[] },
  };
}

export const discordChannel = httpPresetChannel(discordSchema, (message, templates, config) => ({
  url: config.url,
  contentType: 'application/json',
  body: JSON.stringify(discordPayload(message, channelContent(message, templates), message.kind === 'digest' && !templates.has('body'))),
}));
