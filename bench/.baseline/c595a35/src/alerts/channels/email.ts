import { createTransport, type Transporter } from 'nodemailer';
import { z } from 'zod';
import type { ChannelConfigOf } from '../../config/schema.js';
import type { DeliveryJob } from '../../queues/queues.js';
import type { Message } from '../message.js';
import { messageContent } from '../render.js';
import { ChannelTemplates, singleLine, templateContext, templateSchema, type TemplateSpec } from '../templates.js';
import { channelType, DeliveryError, renderOrFail, type Channel } from './channel.js';

export const emailSchema = z.strictObject({
  type: z.literal('email'),
  to: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  from: z.string().min(1),
  host: z.string().min(1),
  port: z.coerce.number().int().positive().default(587),
  secure: z.boolean().default(false),
  user: z.string().optional(),
  pass: z.string().optional(),
  dkim: z
    .strictObject({
      domain: z.string().min(1),
      selector: z.string().min(1),
      // Env vars often carry a PEM with literal "\n" for its line breaks.
      private_key: z
        .string()
        .min(1)
        .transform((key) => key.replace(/\\n/g, '\n'))
        .refine((key) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key), 'private_key must be a PEM private key (-----BEGIN PRIVATE KEY-----...)'),
    })
    .optional(),
  template: templateSchema(['subject', 'title', 'body']).optional(),
});
export type EmailChannelConfig = ChannelConfigOf<typeof emailSchema>;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The templates of one email channel: the HTML part escapes every output, the text part and subject do not. */
export class EmailTemplates {
  readonly text: ChannelTemplates;
  readonly html: ChannelTemplates;
  readonly any: boolean;

  constructor(spec: TemplateSpec | undefined) {
    this.text = new ChannelTemplates(spec);
    this.html = new ChannelTemplates(spec, 'html');
    this.any = Object.keys(spec ?? {}).length > 0;
  }
}

const noTemplates = new EmailTemplates(undefined);

/** Subject, text and HTML parts of one message; every value from a feed is escaped in the HTML. */
export function renderEmail(message: Message, templates: EmailTemplates = noTemplates): { subject: string; text: string; html: string } {
  const content = messageContent(message);
  const context = templates.any ? templateContext(message) : {};
  const title = singleLine(templates.text.render('title', context) ?? content.title);
  const text = templates.text.render('body', context) ?? content.text;
  const subject = singleLine(templates.text.render('subject', context) ?? `[newswatch] ${title}`).slice(0, 250);

  const htmlTitle = templates.html.render('title', context) ?? escapeHtml(title);
  const items = content.items
    .map(
      (i) => `<li><a href="${escapeHtml(i.link)}">${escapeHtml(i.title)}</a><br>${escapeHtml(i.snippet).replace(/«([^»]*)»/g, '<mark>$1</mark>')}
<br><small style="color:#555">${escapeHtml(i.rule)} &middot; ${escapeHtml(i.source)}, ${escapeHtml(i.published)}</small></li>`,
    )
    .join('\n');
  const templatedBody = templates.html.render('body', context);
  const body =
    templatedBody !== undefined
      ? `<div style="white-space:pre-wrap">${templatedBody}</div>`
      : items
        ? `<ul style="padding-left:1em">${items}</ul>`
        : `<p>${escapeHtml(content.text).replace(/\n/g, '<br>')}</p>`;
  const html = `<!doctype html><html><body><h2>${htmlTitle}</h2>\n${body}\n</body></html>`;
  return { subject, text: `${title}\n\n${text}\n`, html };
}

// Ids go into `<local@newswatch>`: keep only characters a msg-id's dot-atom allows, injectively.
const msgIdPart = (s: string) => encodeURIComponent(s).replace(/[!'()*.~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const msgId = (local: string) => `<${msgIdPart(local)}@newswatch>`;

export interface ThreadHeaders {
  messageId: string;
  inReplyTo?: string;
  references?: string;
}

/**
 * Threading. Each alert's Message-ID is `<alertId@newswatch>`: stable, so a redelivered alert is
 * the same message to mail clients (which collapse duplicates). Every alert of a story, the first
 * included, replies to one root id, `<story-{id}@newswatch>`, that is never sent itself: clients that
 * thread by References (Thunderbird, Apple Mail, mutt, Outlook on the web) put them under one
 * thread, whichever alert arrives first and however many rules alert on the story. Gmail also
 * requires a similar subject, so alerts with different headlines may stay apart there.
 */
export function threadHeaders(delivery: DeliveryJob): ThreadHeaders {
  const { message } = delivery;
  if (message.kind !== 'alert') return { messageId: msgId(delivery.deliveryId) };
  const messageId = msgId(message.alert.alertId);
  if (!message.alert.story) return { messageId };
  const root = msgId(`story-${message.alert.story.id}`);
  return { messageId, inReplyTo: root, references: root };
}

// A message whose pooled connection dies is put back in the pool's queue; cap that so a broken
// server cannot keep one message cycling forever (BullMQ retries it with backoff instead).
const MAX_REQUEUES = 2;

export class EmailChannel implements Channel {
  readonly type = 'email';
  readonly id: string;
  private readonly transport: Transporter;
  private readonly templates: EmailTemplates;

  constructor(
    private readonly config: EmailChannelConfig,
    timeoutMs: number,
  ) {
    this.id = config.id;
    this.templates = new EmailTemplates(config.template);
    this.transport = createTransport({
      pool: true,
      maxRequeues: MAX_REQUEUES,
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.user ? { user: config.user, pass: config.pass ?? '' } : undefined,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dkim: config.dkim ? { domainName: config.dkim.domain, keySelector: config.dkim.selector, privateKey: config.dkim.private_key } : undefined,
    });
  }

  async send(delivery: DeliveryJob): Promise<void> {
    const rendered = renderOrFail(() => renderEmail(delivery.message, this.templates));
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: this.config.to,
        ...rendered,
        ...threadHeaders(delivery),
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Newswatch-Delivery': delivery.deliveryId },
      });
    } catch (err) {
      const e = err as Error & { responseCode?: number; code?: string };
      // 5xx SMTP replies are permanent (bad recipient, rejected); connection trouble and 4xx are worth retrying.
      const permanent = e.responseCode !== undefined && e.responseCode >= 500;
      throw new DeliveryError(`SMTP ${this.config.host}:${this.config.port}: ${e.responseCode ?? e.code ?? ''} ${e.message}`.trim(), !permanent);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

export const emailChannel = channelType(emailSchema, (config, http) => new EmailChannel(config, http.timeoutMs));
