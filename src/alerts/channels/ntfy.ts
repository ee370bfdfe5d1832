import type { ChannelConfigOf } from '../../config/fields/channel-fields.js';
import type { Message } from '../message.js';
import type { MessageContent } from '../render.js';
import { encodeWord } from 'nodemailer/lib/mime-funcs';
import { measures, truncate } from '../../text/truncate.js';
import { fitItems, moreLine } from '../digest-fit.js';
import { compactLine, defaultViewSettings, digestView, type DigestView, type ViewSettings } from '../view-model.js';
import { channelContent } from './channel-content.js';
import { httpPresetChannel } from './http-preset.js';
import { ntfySchema } from './channel-schemas.js';

export type NtfyChannelConfig = ChannelConfigOf<typeof ntfySchema>;

/** Rule severity -> ntfy priority (1 min ... 3 default ... 5 max). */
const NTFY_PRIORITY: Record<string, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
// ntfy turns a larger body into an attachment.
const BODY_MAX_BYTES = 4096;
const TITLE_MAX = 250;
// RFC 2047: an encoded word is at most 75 characters.
const ENCODED_WORD_MAX = 75;

/**
 * HTTP header values are Latin-1 on the wire; ntfy (2.4+) decodes RFC 2047 encoded words for the rest.
 * Long values become several words of at most 75 characters, each holding whole characters.
 */
export function headerValue(value: string): string {
  const flat = value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return /^[\x20-\x7e]*$/.test(flat) ? flat : encodeWord(flat, 'B', ENCODED_WORD_MAX);
}

/** Feed links may hold non-ASCII characters, which a header cannot: the URL parser percent-encodes them. */
function asciiUrl(link: string | undefined): string | undefined {
  if (!link) return undefined;
  try {
    return new URL(link).href;
  } catch {
    return undefined;
  }
}

const utf8 = { measure: measures.utf8 };

/** A digest's body: one compact line (and the link) per item, as many as fit in ntfy's 4096 bytes, then how many more. */
function digestBody(view: DigestView): string {
  const lines = view.items.map((i) => `• ${compactLine(i)}\n  ${i.link}\n`);
  const { shown, more } = fitItems(lines, { budget: BODY_MAX_BYTES, cost: measures.utf8, moreCost: (n) => measures.utf8(moreLine(n)) });
  return shown.join('') + (more > 0 ? moreLine(more) : '');
}

function priority(message: Message): number {
  switch (message.kind) {
    case 'alert':
      return NTFY_PRIORITY[message.alert.rule.severity] ?? 3;
    case 'digest':
      return Math.max(...message.alerts.map((a) => NTFY_PRIORITY[a.rule.severity] ?? 3), 1);
    case 'notice':
      return message.notice.type.endsWith('recovered') ? 3 : 4;
  }
}

function tags(message: Message, extra: string[]): string[] {
  const own = message.kind === 'notice' ? [message.notice.type.endsWith('recovered') ? 'white_check_mark' : 'warning'] : ['newspaper'];
  const rule = message.kind === 'alert' ? [message.alert.rule.id] : [];
  return [...own, ...rule, ...extra];
}

/** The request ntfy documents for publishing: body = message text; Title, Priority, Tags, Click headers. */
export function ntfyRequest(
  message: Message,
  content: MessageContent,
  config: Pick<NtfyChannelConfig, 'tags' | 'token'>,
  listItems = false,
  settings: ViewSettings = defaultViewSettings,
): { body: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {
    Title: headerValue(truncate(content.title, TITLE_MAX)),
    Priority: String(priority(message)),
    Tags: headerValue(tags(message, config.tags).join(',')),
  };
  const click = asciiUrl(content.link);
  if (click) headers.Click = click;
  if (config.token) headers.Authorization = `Bearer ${config.token}`;
  return {
    body: listItems && message.kind === 'digest' ? digestBody(digestView(message, settings)) : truncate(content.text, BODY_MAX_BYTES, utf8),
    headers,
  };
}

/** ntfy (https://docs.ntfy.sh/publish/): POST the text to the topic URL, metadata in headers. */
export const ntfyChannel = httpPresetChannel(ntfySchema, (message, templates, config, view) => ({
  url: config.url,
  contentType: 'text/plain; charset=utf-8',
  ...ntfyRequest(message, channelContent(message, templates, view), config, message.kind === 'digest' && !templates.has('body'), view),
}));
