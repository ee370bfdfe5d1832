import { z } from 'zod';
import type { ChannelConfigOf } from '../../config/schema.js';
import type { Message } from '../message.js';
import type { MessageContent } from '../render.js';
import { templateSchema, type ChannelTemplates } from '../templates.js';
import { channelContent } from './channel.js';
import { httpPresetChannel } from './http-preset.js';

/** ntfy (https://docs.ntfy.sh/publish/): POST the text to the topic URL, metadata in headers. */
export const ntfySchema = z.strictObject({
  type: z.literal('ntfy'),
  url: z.url({ protocol: /^https?$/, error: 'url must be the topic URL, e.g. https://ntfy.sh/my-topic' }),
  /** Access token for protected topics (sent as `Authorization: Bearer`). */
  token: z.string().min(1).optional(),
  /** Extra tags (emoji short codes such as `rotating_light` show as icons). */
  tags: z.array(z.string().regex(/^[^,\n]+$/, 'a tag must not contain commas or line breaks')).default([]),
  template: templateSchema(['title', 'body']).optional(),
});
export type NtfyChannelConfig = ChannelConfigOf<typeof ntfySchema>;

/** Rule severity -> ntfy priority (1 min ... 3 default ... 5 max). */
export const NTFY_PRIORITY: Record<string, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
// ntfy turns a larger body into an attachment.
const BODY_MAX_BYTES = 4096;

/** HTTP header values are Latin-1 on the wire; ntfy (2.4+) decodes RFC 2047 encoded words for the rest. */
export function headerValue(value: string): string {
  const flat = value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return /^[\x20-\x7e]*$/.test(flat) ? flat : `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
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

export function truncateBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = '';
  let bytes = Buffer.byteLength('…');
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    out += ch;
  }
  return `${out}…`;
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
export function ntfyRequest(message: Message, content: MessageContent, config: Pick<NtfyChannelConfig, 'tags' | 'token'>): { body: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {
    Title: headerValue(content.title),
    Priority: String(priority(message)),
    Tags: headerValue(tags(message, config.tags).join(',')),
  };
  const click = asciiUrl(content.link);
  if (click) headers.Click = click;
  if (config.token) headers.Authorization = `Bearer ${config.token}`;
  return { body: truncateBytes(content.text, BODY_MAX_BYTES), headers };
}

export const ntfyChannel = httpPresetChannel(ntfySchema, (message, templates, config) => ({
  url: config.url,
  contentType: 'text/plain; charset=utf-8',
  ...ntfyRequest(message, channelContent(message, templates), config),
}));
