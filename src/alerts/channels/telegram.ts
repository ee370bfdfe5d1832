import { z } from 'zod';
import type { ChannelConfigOf } from '../../config/schema.js';
import type { Message } from '../message.js';
import { messageContent } from '../render.js';
import { ChannelTemplates, templateContext, templateSchema } from '../templates.js';
import { measures, truncate } from '../../text/truncate.js';
import { fitItems, moreLine } from '../digest-fit.js';
import { renderOrFail } from './channel.js';
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

// sendMessage takes 4096 characters (UTF-16 units) after entity parsing, i.e. of visible text.
const TEXT_MAX = 4096;
const TITLE_MAX = 256;
const BODY_MAX = 3500;
const DIGEST_TITLE_MAX = 200;
const utf16 = { measure: measures.utf16 };

/** Telegram's HTML parse mode needs exactly these escaped (and `"` inside attributes). */
export const escapeTelegram = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const marks = (escaped: string) => escaped.replace(/«([^»]*)»/g, '<b>$1</b>');

/** The sendMessage `text` in Telegram HTML. */
export function telegramText(message: Message, templates: ChannelTemplates): string {
  const content = messageContent(message);
  const context = templates.has('title') || templates.has('body') ? templateContext(message) : {};
  const title = templates.render('title', context) ?? escapeTelegram(truncate(content.title, TITLE_MAX, utf16));
  let body = templates.render('body', context);
  if (body === undefined && message.kind === 'digest') {
    // Sized by what Telegram counts, the visible text: the title, a blank line, then one item per two lines.
    const items = content.items.map((i) => ({ link: i.link, title: truncate(i.title, DIGEST_TITLE_MAX), meta: `${i.rule} · ${i.source}` }));
    const visible = (i: (typeof items)[number]) => `• ${i.title}\n${i.meta}\n`.length;
    const budget = TEXT_MAX - truncate(content.title, TITLE_MAX, utf16).length - 2;
    const { shown, more } = fitItems(items, { budget, cost: visible, moreCost: (n) => moreLine(n).length });
    body = shown.map((i) => `• <a href="${escapeTelegram(i.link)}">${escapeTelegram(i.title)}</a>\n<i>${escapeTelegram(i.meta)}</i>`).join('\n') + (more > 0 ? `\n${escapeTelegram(moreLine(more))}` : '');
  }
  body ??= marks(escapeTelegram(truncate(content.text, BODY_MAX, utf16)));
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
