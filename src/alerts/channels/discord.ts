import type { Message } from '../message.js';
import type { MessageContent } from '../render.js';
import { measures, truncate as truncateText } from '../../text/truncate.js';
import { fitItems, moreLine } from '../digest-fit.js';
import { alertView, compactHeadline, compactMeta, digestView, type AlertView, type DigestView, type ViewSettings } from '../view-model.js';
import { escapeMarkdown } from '../markdown.js';
import { markdownJsonPresetChannel } from './http-preset.js';
import { discordSchema } from './channel-schemas.js';

// Discord's limits: content 2000, embed title 256, description 4096, footer 2048, 25 fields (name 256,
// value 1024), 10 embeds per message and 6000 characters across all of them.
export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  footer: 2048,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  embeds: 10,
  total: 6000,
} as const;

const colorOf = (hex: string) => Number.parseInt(hex.slice(1), 16);

export interface DiscordEmbed {
  title: string;
  url?: string;
  description?: string;
  color?: number;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  timestamp?: string;
  footer?: { text: string };
}

// Discord counts characters as code points.
const length = (s: string | undefined) => (s ? measures.codePoints(s) : 0);
const truncate = (s: string, max: number) => truncateText(s, max, { measure: measures.codePoints });

/** Fits embeds into the per-field limits and the 6000-character total; embeds that no longer fit are left out (the caller says how many). */
export function fitEmbeds(embeds: DiscordEmbed[]): DiscordEmbed[] {
  const fitted: DiscordEmbed[] = [];
  let budget: number = DISCORD_LIMITS.total;
  for (const embed of embeds.slice(0, DISCORD_LIMITS.embeds)) {
    const title = truncate(embed.title || '(untitled)', Math.min(DISCORD_LIMITS.title, budget));
    const footer = embed.footer && truncate(embed.footer.text, DISCORD_LIMITS.footer);
    const fields = (embed.fields ?? [])
      .slice(0, DISCORD_LIMITS.fields)
      .map((f) => ({ ...f, name: truncate(f.name, DISCORD_LIMITS.fieldName), value: truncate(f.value, DISCORD_LIMITS.fieldValue) }))
      .filter((f) => f.name && f.value);
    const fieldsLength = fields.reduce((n, f) => n + length(f.name) + length(f.value), 0);
    const left = budget - length(title) - length(footer) - fieldsLength;
    // Keep an embed only when it still has room to say something beyond its title.
    if (left < Math.min(length(embed.description), 100) || left <= 0) break;
    const description = embed.description ? truncate(embed.description, Math.min(DISCORD_LIMITS.description, left)) : undefined;
    budget = left - length(description);
    // Discord rejects empty strings, so empty fields are left out.
    const { url, color, timestamp } = embed;
    fitted.push({
      title,
      ...(url ? { url } : {}),
      ...(description ? { description } : {}),
      ...(color !== undefined ? { color } : {}),
      ...(fields.length > 0 ? { fields } : {}),
      ...(timestamp ? { timestamp } : {}),
      ...(footer ? { footer: { text: footer } } : {}),
    });
  }
  return fitted;
}

/** Snippet with matched words bold; every part escaped, so feed text cannot format or link. */
const snippetMarkdown = (view: AlertView) =>
  view.snippet.map((p) => (p.matched && p.text.trim() ? `**${escapeMarkdown(p.text)}**` : escapeMarkdown(p.text))).join('');

/** An alert as one embed: headline, highlighted snippet, fields for source, time, why, story, facts, labels. */
function alertEmbed(view: AlertView, published: string): DiscordEmbed {
  const fields: NonNullable<DiscordEmbed['fields']> = [
    {
      name: 'Source',
      value: escapeMarkdown(
        `${view.source.name}${view.source.host && view.source.host !== view.source.name ? ` (${view.source.host})` : ''}`,
      ),
      inline: true,
    },
    { name: 'Published', value: view.published.text, inline: true },
  ];
  if (view.why) fields.push({ name: 'Why it matched', value: escapeMarkdown(view.matched.join(', ')) });
  // Story links are the story's own article URLs, shown by host: our links, not feed text.
  if (view.story)
    fields.push({
      name: view.story.line,
      value:
        view.story.others.map((o) => `[${escapeMarkdown(o.host || 'link')}](${o.link.replace(/[()]/g, encodeURIComponent)})`).join(', ') ||
        '-',
    });
  if (view.facts) fields.push({ name: 'Facts', value: escapeMarkdown(view.facts) });
  if (view.changes) fields.push({ name: 'What changed', value: escapeMarkdown(view.changes) });
  if (view.labels.length > 0)
    fields.push({ name: 'Labels', value: escapeMarkdown(view.labels.map((l) => `${l.name}: ${l.value}`).join(', ')) });
  return {
    title: escapeMarkdown(view.headline),
    ...(view.link ? { url: view.link } : {}),
    description: snippetMarkdown(view),
    color: colorOf(view.rule.color),
    fields,
    // Discord shows this in each reader's own time zone and locale.
    ...(Number.isNaN(Date.parse(published)) ? {} : { timestamp: published }),
    footer: { text: `${view.rule.name} · ${view.rule.severity}${view.followUp ? ' · follow-up' : ''}` },
  };
}

/** A digest: a header line, then one embed per rule listing one line per item, as many as fit. */
function digestPayload(view: DigestView) {
  const embeds: DiscordEmbed[] = [];
  let budget: number = DISCORD_LIMITS.total;
  let shownCount = 0;
  for (const group of view.groups.slice(0, DISCORD_LIMITS.embeds)) {
    const title = truncate(group.rule.name, DISCORD_LIMITS.title);
    const lines = group.stories.flatMap((story) =>
      story.map(
        (item, i) =>
          `${i === 0 ? '•' : '  ↳'} [${escapeMarkdown(compactHeadline(item))}](${item.link.replace(/[()]/g, encodeURIComponent)}) — ${escapeMarkdown(compactMeta(item))}\n`,
      ),
    );
    const room = Math.min(DISCORD_LIMITS.description, budget - length(title));
    const { shown } = fitItems(lines, { budget: room, cost: length });
    if (shown.length === 0) break;
    embeds.push({ title, description: shown.join(''), color: colorOf(group.rule.color) });
    budget -= length(title) + length(shown.join(''));
    shownCount += shown.length;
    if (shown.length < lines.length) break;
  }
  const more = view.count - shownCount;
  // The count of what is not shown is never cut: the header gives way.
  const tail = [view.reason, more > 0 ? moreLine(more) : '']
    .filter(Boolean)
    .map((l) => `\n${l}`)
    .join('');
  return { content: `**${truncate(escapeMarkdown(view.header), DISCORD_LIMITS.content - 4 - length(tail))}**${tail}`, embeds };
}

/**
 * The execute-webhook payload: embeds, and no pings whatever the feed text contains. Feed text is
 * Markdown-escaped (titles, descriptions and field values render Markdown); footers are plain text.
 * `content` comes from templates (its values escaped) when the channel has some.
 */
export function discordPayload(message: Message, content: MessageContent, templated: boolean, settings?: ViewSettings) {
  const noPings = { allowed_mentions: { parse: [] as string[] } };
  if (!templated && message.kind === 'alert')
    return { embeds: fitEmbeds([alertEmbed(alertView(message.alert, settings), message.alert.article.published)]), ...noPings };
  if (!templated && message.kind === 'digest') return { ...digestPayload(digestView(message, settings)), ...noPings };
  const color = message.kind === 'alert' ? colorOf(alertView(message.alert, settings).rule.color) : undefined;
  return {
    embeds: fitEmbeds([{ title: content.title, url: content.link, description: content.text, ...(color !== undefined ? { color } : {}) }]),
    ...noPings,
  };
}

/** Discord webhook (https://discord.com/developers/docs/resources/webhook#execute-webhook): the URL is the secret. */
export const discordChannel = markdownJsonPresetChannel(discordSchema, discordPayload);
