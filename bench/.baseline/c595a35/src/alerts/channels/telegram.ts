import { z } from 'zod';
import type { ChannelConfigOf } from '../../config/schema.js';
import type { Message } from '../message.js';
import { messageContent } from '../render.js';
import { ChannelTemplates, templateContext, templateSchema } from '../templates.js';
import { renderOrFail, truncate } from './channel.js';
import { httpPresetChannel } from './http-preset.js';

/** Telegram Bot API sendMessage (https://core.telegram.org/bots/api#sendmessage) with parse_mode HTML. */
export const telegramSchema = z.strictObject({
  type: z.literal('telegram'),
  // The token is a secret: the message names the format, never the value.
  token: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'token must be a bot token as BotFather gives it (123456:ABC...); set it with ${ENV}'),
  chat_id: z.union([z.number().int(), z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/, 'chat_id must be a numeric chat id or @channelusername')]),
  /** The Bot API server; override for a local Bot API server (or a test receiver). */
  api_url: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  /** Title and body templates are Telegram HTML: `{{ values }}` are escaped, tags written in the template are kept. */
  template: templateSchema(['title', 'body']).optional(),
});
export type TelegramChannelConfig = ChannelConfigOf<typeof telegramSchema>;

// sendMessage takes 4096 characters after entity parsing; leave room for the title and tags.
const TITLE_MAX = 256;
const BODY_MAX = 3500;
const DIGEST_ITEMS_MAX = 20;

/** Telegram's HTML parse mode needs exactly these escaped (and `"` inside attributes). */
export const escapeTelegram = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const marks = (escaped: string) => escaped.replace(/«([^»]*)»/g, '<b>$1</b>');

/** The sendMessage `text` in Telegram HTML. */
export function telegramText(message: Message, templates: ChannelTemplates): string {
  const content = messageContent(message);
  const context = templates.has('title') || templates.has('body') ? templateContext(message) : {};
  const title = templates.render('title', context) ?? escapeTelegram(truncate(content.title, TITLE_MAX));
  let body = templates.render('body', context);
  if (body === undefined && message.kind === 'digest') {
    const shown = content.items.slice(0, DIGEST_ITEMS_MAX).map((i) => `• <a href="${escapeTelegram(i.link)}">${escapeTelegram(i.title)}</a>\n<i>${escapeTelegram(`${i.rule} · ${i.source}`)}</i>`);
    const more = content.items.length - shown.length;
    body = shown.join('\n') + (more > 0 ? `\n…and ${more} more` : '');
  }
  body ??= marks(escapeTelegram(truncate(content.text, BODY_MAX)));
  return `<b>${title}</b>\n\n${body}`;
}

/** 429 answers carry the wait in the body: `{"parameters":{"retry_after":5}}`. */
function retryAfterFromBody(body: string): number | undefined {
  try {
    const seconds = (JSON.parse(body) as { parameters?: { retry_after?: unknown } }).parameters?.retry_after;
    return typeof seconds === 'number' ? seconds * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export const telegramChannel = httpPresetChannel(
  telegramSchema,
  (message, templates, config) => ({
    url: `${config.api_url.replace(/\/+$/, '')}/bot${config.token}/sendMessage`,
    contentType: 'application/json',
    body: JSON.stringify({
      chat_id: config.chat_id,
      text: renderOrFail(() => telegramText(message, templates)),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: message.kind !== 'alert' },
    }),
    retryAfterFromBody,
  }),
  'html',
);
