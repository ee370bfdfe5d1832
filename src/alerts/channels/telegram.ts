import type { Message } from '../message.js';
import { messageContent } from '../render.js';
import { type ChannelTemplates, templateContext } from '../templates.js';
import { measures, truncate } from '../../text/truncate.js';
import { fitItems, moreLine } from '../digest-fit.js';
import {
  alertView,
  compactHeadline,
  compactMeta,
  defaultViewSettings,
  digestView,
  type AlertView,
  type DigestView,
  type ViewSettings,
} from '../view-model.js';
import { renderOrFail } from '../delivery-error.js';
import { httpPresetChannel } from './http-preset.js';
import { telegramSchema } from './channel-schemas.js';

// sendMessage takes 4096 characters (UTF-16 units) after entity parsing, i.e. of visible text.
const TEXT_MAX = 4096;
const TITLE_MAX = 256;
const BODY_MAX = 3500;
const SNIPPET_MAX = 2500;
const utf16 = { measure: measures.utf16 };

/** Telegram's HTML parse mode needs exactly these escaped (and `"` inside attributes). */
const escapeTelegram = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const marks = (escaped: string) => escaped.replace(/«([^»]*)»/g, '<b>$1</b>');

const link = (href: string, html: string) => (href ? `<a href="${escapeTelegram(href)}">${html}</a>` : html);

/** An alert: linked headline, rule, source and time, highlighted snippet, why, story, facts, labels. */
function alertHtml(view: AlertView): string {
  let left = SNIPPET_MAX;
  const snippet = view.snippet
    .map((p) => {
      const text = truncate(p.text, Math.max(left, 0), utf16);
      left -= text.length;
      return p.matched && text.trim() ? `<b>${escapeTelegram(text)}</b>` : escapeTelegram(text);
    })
    .join('');
  const lines = [
    link(view.link, `<b>${escapeTelegram(view.headline)}</b>`),
    `<i>${escapeTelegram(`${view.rule.name} · ${view.rule.severity}`)}</i>`,
    escapeTelegram(
      `${view.source.name}${view.source.host && view.source.host !== view.source.name ? ` (${view.source.host})` : ''} · ${view.published.text}`,
    ),
    '',
    snippet,
    '',
  ];
  if (view.why) lines.push(`<b>Why:</b> ${escapeTelegram(view.matched.join(', '))}`);
  if (view.story)
    lines.push(
      `${escapeTelegram(view.story.line)}: ${view.story.others
        .slice(0, 10)
        .map((o) => link(o.link, escapeTelegram(o.host || 'link')))
        .join(', ')}`,
    );
  if (view.facts) lines.push(`<b>Facts:</b> ${escapeTelegram(truncate(view.facts, 300))}`);
  if (view.changes) lines.push(`<b>What changed:</b> ${escapeTelegram(truncate(view.changes, 300))}`);
  if (view.labels.length > 0) lines.push(escapeTelegram(truncate(view.labels.map((l) => `${l.name}: ${l.value}`).join(' · '), 300)));
  return lines.join('\n').trim();
}

/** A digest, sized by what Telegram counts (the visible text): header, then per rule one line per item. */
function digestHtml(view: DigestView): string {
  const header = truncate(view.header, TITLE_MAX, utf16);
  const firstOfGroup = new Set(view.groups.map((g) => g.stories[0]![0]!));
  const visible = (item: AlertView) =>
    (firstOfGroup.has(item) ? `\n${item.rule.name}\n`.length : 0) + `• ${compactHeadline(item)} — ${compactMeta(item)}\n`.length;
  const budget = TEXT_MAX - header.length - 2 - (view.reason ? view.reason.length + 1 : 0);
  const { shown, more } = fitItems(view.items, { budget, cost: visible, moreCost: (n) => moreLine(n).length + 1 });
  const lines = [`<b>${escapeTelegram(header)}</b>`, ...(view.reason ? [`<i>${escapeTelegram(view.reason)}</i>`] : [])];
  for (const item of shown) {
    if (firstOfGroup.has(item)) lines.push(`\n<b>${escapeTelegram(item.rule.name)}</b>`);
    lines.push(`• ${link(item.link, escapeTelegram(compactHeadline(item)))} — ${escapeTelegram(compactMeta(item))}`);
  }
  if (more > 0) lines.push(escapeTelegram(moreLine(more)));
  return lines.join('\n');
}

/** The sendMessage `text` in Telegram HTML. */
export function telegramText(message: Message, templates: ChannelTemplates, settings: ViewSettings = defaultViewSettings): string {
  const templated = templates.has('title') || templates.has('body');
  if (!templated && message.kind === 'alert') return alertHtml(alertView(message.alert, settings));
  if (!templated && message.kind === 'digest') return digestHtml(digestView(message, settings));
  const content = messageContent(message, undefined, settings);
  const context = templated ? templateContext(message, settings) : {};
  const title = templates.render('title', context) ?? escapeTelegram(truncate(content.title, TITLE_MAX, utf16));
  const body = templates.render('body', context) ?? marks(escapeTelegram(truncate(content.text, BODY_MAX, utf16)));
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

/** Telegram Bot API sendMessage (https://core.telegram.org/bots/api#sendmessage) with parse_mode HTML. */
export const telegramChannel = httpPresetChannel(
  telegramSchema,
  (message, templates, config, view) => ({
    url: `${config.api_url.replace(/\/+$/, '')}/bot${config.token}/sendMessage`,
    contentType: 'application/json',
    body: JSON.stringify({
      chat_id: config.chat_id,
      text: renderOrFail(() => telegramText(message, templates, view)),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: message.kind !== 'alert' },
    }),
    retryAfterFromBody,
  }),
  'html',
);
