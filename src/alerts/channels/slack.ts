import type { Message } from '../message.js';
import type { MessageContent } from '../render.js';
import { measures, truncate } from '../../text/truncate.js';
import { fitItems, moreLine } from '../digest-fit.js';
import { alertView, compactHeadline, compactMeta, digestView, type AlertView, type DigestView, type ViewSettings } from '../view-model.js';
import { channelContent } from './channel-content.js';
import { httpPresetChannel } from './http-preset.js';
import { slackSchema } from './channel-schemas.js';

// Block Kit limits: header text 150, section text 3000, 50 blocks per message.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const DIGEST_TITLE_MAX = 300;
const BLOCKS_MAX = 50;

/** Slack mrkdwn treats &, < and > as control characters; everything from a feed is escaped. */
const mrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const linkText = (s: string) => mrkdwn(s).replace(/\|/g, '¦');
const linkUrl = (s: string) => s.replace(/[<>|]/g, (c) => encodeURIComponent(c));

/**
 * Feed text cut to fit `max` characters once escaped: truncation comes first and counts each grapheme
 * escaped, so a cut never leaves half an entity (`&am`).
 */
const fitMrkdwn = (s: string, max: number, escapeText: (s: string) => string = mrkdwn) =>
  escapeText(truncate(s, max, { measure: (g) => [...escapeText(g)].length }));

type Block = Record<string, unknown>;
type Payload = { text: string; blocks: Block[]; unfurl_links: false };

const context = (...texts: string[]): Block => ({
  type: 'context',
  elements: texts.filter(Boolean).map((text) => ({ type: 'mrkdwn', text })),
});
const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });
const header = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: truncate(text, HEADER_MAX, { measure: measures.codePoints }), emoji: false },
});
// Context elements hold 2000 characters at most.
const CONTEXT_MAX = 2000;

/** Snippet in mrkdwn, matched words bold; each part cut and escaped on its own so no marker or entity is split. */
function snippetMrkdwn(view: AlertView, max: number): string {
  let left = max;
  let out = '';
  for (const part of view.snippet) {
    if (left <= 2) break;
    const text = fitMrkdwn(part.text, part.matched ? left - 2 : left);
    const piece = part.matched && text.trim() ? `*${text}*` : text;
    out += piece;
    left -= [...piece].length;
  }
  return out;
}

/** An alert in Block Kit: headline, highlighted snippet, then context lines (rule, source, time, why, story, facts, labels). */
function alertBlocks(view: AlertView): Block[] {
  const blocks: Block[] = [
    header(view.headline),
    section(snippetMrkdwn(view, SECTION_MAX)),
    context(
      `*${fitMrkdwn(view.rule.name, 200)}* · ${view.rule.severity}`,
      fitMrkdwn(`${view.source.name}${view.source.host ? ` (${view.source.host})` : ''}`, 300),
      view.published.text,
    ),
  ];
  if (view.why) blocks.push(context(fitMrkdwn(view.why, CONTEXT_MAX)));
  if (view.story)
    blocks.push(
      context(`${view.story.line}: ${view.story.others.map((o) => `<${linkUrl(o.link)}|${linkText(o.host || o.link)}>`).join(', ')}`),
    );
  if (view.facts) blocks.push(context(fitMrkdwn(`Facts: ${view.facts}`, CONTEXT_MAX)));
  if (view.changes) blocks.push(context(fitMrkdwn(`What changed: ${view.changes}`, CONTEXT_MAX)));
  if (view.labels.length > 0) blocks.push(context(...view.labels.slice(0, 10).map((l) => fitMrkdwn(`${l.name}: ${l.value}`, 200))));
  if (view.link)
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open article' }, url: view.link }] });
  return blocks;
}

/** A digest: its header, then per rule a context line and one section per item, as many as 50 blocks hold. */
function digestBlocks(view: DigestView): Block[] {
  const blocks: Block[] = [header(view.header)];
  if (view.reason) blocks.push(context(view.reason));
  const firstOfGroup = new Set(view.groups.map((g) => g.stories[0]![0]!));
  // Each item is a section; the first of its rule also brings the rule's context line. One block stays for "and N more".
  const { shown, more } = fitItems(view.items, {
    budget: BLOCKS_MAX - blocks.length - 1,
    cost: (item) => (firstOfGroup.has(item) ? 2 : 1),
  });
  for (const item of shown) {
    if (firstOfGroup.has(item)) blocks.push(context(`*${fitMrkdwn(item.rule.name, 200)}* · ${item.rule.severity}`));
    const headline = compactHeadline(item);
    blocks.push(
      section(`• <${linkUrl(item.link)}|${fitMrkdwn(headline, DIGEST_TITLE_MAX, linkText)}> — ${fitMrkdwn(compactMeta(item), 300)}`),
    );
  }
  if (more > 0) blocks.push(context(mrkdwn(moreLine(more))));
  return blocks;
}

/** The incoming-webhook payload: Block Kit `blocks` plus `text`, the fallback notifications and old clients show. */
export function slackPayload(message: Message, content: MessageContent, templated: boolean, settings?: ViewSettings): Payload {
  const fallback = fitMrkdwn(content.link ? `${content.title} ${content.link}` : content.title, SECTION_MAX);
  if (!templated && message.kind === 'alert')
    return { text: fallback, blocks: alertBlocks(alertView(message.alert, settings)), unfurl_links: false };
  if (!templated && message.kind === 'digest')
    return { text: fallback, blocks: digestBlocks(digestView(message, settings)), unfurl_links: false };
  const blocks: Block[] = [header(content.title), section(fitMrkdwn(content.text, SECTION_MAX))];
  if (content.link && message.kind === 'alert') {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open article' }, url: content.link }] });
  }
  return { text: fallback, blocks, unfurl_links: false };
}

/** Slack incoming webhook (https://api.slack.com/messaging/webhooks): the URL is the secret, set it with ${ENV}. */
export const slackChannel = httpPresetChannel(slackSchema, (message, templates, config, view) => ({
  url: config.url,
  contentType: 'application/json',
  body: JSON.stringify(
    slackPayload(message, channelContent(message, templates, view), templates.has('title') || templates.has('body'), view),
  ),
}));
