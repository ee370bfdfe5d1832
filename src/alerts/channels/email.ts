import type { Transporter } from 'nodemailer';
import { lazyDependency } from '../../lazy-dependency.js';
import type { ChannelConfigOf } from '../../config/fields/channel-fields.js';
import type { Message } from '../message.js';
import { footerText } from '../plain-text.js';
import { messageContent } from '../render.js';
import { alertView, defaultViewSettings, digestView, type ViewSettings } from '../view-model.js';
import { alertEmailHtml, digestEmailHtml, noticeEmailHtml } from './email-layout.js';
import { ChannelTemplates, singleLine, templateContext } from '../templates.js';
import type { TemplateSpec } from '../template-source.js';
import { measures, truncate } from '../../text/truncate.js';
import { channelType, type Channel, type RenderedMessage } from './channel.js';
import { DeliveryError, renderOrFail } from '../delivery-error.js';
import { emailSchema } from './channel-schemas.js';

const nodemailer = lazyDependency<typeof import('nodemailer')>('nodemailer');

type EmailChannelConfig = ChannelConfigOf<typeof emailSchema>;

// Long subjects are folded by the mailer, but clients show about 250 characters at most.
const SUBJECT_MAX = 250;

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

/**
 * Subject, text and HTML parts of one message, from the view model; both parts carry the same content
 * and footer. Templates replace the title and body of either part; every value from a feed is escaped in
 * the HTML.
 */
export function renderEmail(
  message: Message,
  templates: EmailTemplates = noTemplates,
  settings: ViewSettings = defaultViewSettings,
): { subject: string; text: string; html: string } {
  const content = messageContent(message, undefined, settings);
  const context = templates.any ? templateContext(message, settings) : {};
  const title = singleLine(templates.text.render('title', context) ?? content.title);
  const text = templates.text.render('body', context) ?? content.text;
  const subject = truncate(singleLine(templates.text.render('subject', context) ?? `[newswatch] ${title}`), SUBJECT_MAX, {
    measure: measures.utf16,
  });
  const overrides = { title: templates.html.render('title', context), body: templates.html.render('body', context) };
  switch (message.kind) {
    case 'alert': {
      const view = alertView(message.alert, settings);
      return { subject, text: `${title}\n\n${text}\n\n-- \n${footerText(view)}\n`, html: alertEmailHtml(view, overrides) };
    }
    case 'digest':
      return {
        subject,
        text: `${title}\n\n${text}\n\n-- \nList recent alerts with: newswatch alerts\n`,
        html: digestEmailHtml(digestView(message, settings), overrides),
      };
    case 'notice':
      return { subject, text: `${title}\n\n${text}\n`, html: noticeEmailHtml(content.title, content.text, overrides) };
  }
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
export function threadHeaders(message: Message, deliveryId: string): ThreadHeaders {
  if (message.kind !== 'alert') return { messageId: msgId(deliveryId) };
  const messageId = msgId(message.alert.alertId);
  if (!message.alert.story) return { messageId };
  const root = msgId(`story-${message.alert.story.id}`);
  return { messageId, inReplyTo: root, references: root };
}

// A message whose pooled connection dies is put back in the pool's queue; cap that so a broken
// server cannot keep one message cycling forever (BullMQ retries it with backoff instead).
const MAX_REQUEUES = 2;

class EmailChannel implements Channel {
  readonly type = 'email';
  readonly id: string;
  private readonly transport: Transporter;
  private readonly templates: EmailTemplates;

  constructor(
    private readonly config: EmailChannelConfig,
    timeoutMs: number,
    private readonly view: ViewSettings = defaultViewSettings,
  ) {
    this.id = config.id;
    this.templates = new EmailTemplates(config.template);
    this.transport = nodemailer().createTransport({
      pool: true,
      maxRequeues: MAX_REQUEUES,
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.user ? { user: config.user, pass: config.pass ?? '' } : undefined,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dkim: config.dkim
        ? { domainName: config.dkim.domain, keySelector: config.dkim.selector, privateKey: config.dkim.private_key }
        : undefined,
    });
  }

  render(message: Message): RenderedMessage & { kind: 'email' } {
    return { kind: 'email', ...renderOrFail(() => renderEmail(message, this.templates, this.view)) };
  }

  async send(message: Message, deliveryId: string): Promise<void> {
    const { kind: _, ...rendered } = this.render(message);
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: this.config.to,
        ...rendered,
        ...threadHeaders(message, deliveryId),
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Newswatch-Delivery': deliveryId },
      });
    } catch (err) {
      const e = err as Error & { responseCode?: number; code?: string };
      // 5xx SMTP replies are permanent (bad recipient, rejected); connection trouble and 4xx are worth retrying.
      const permanent = e.responseCode !== undefined && e.responseCode >= 500;
      throw new DeliveryError(
        `SMTP ${this.config.host}:${this.config.port}: ${e.responseCode ?? e.code ?? ''} ${e.message}`.trim(),
        !permanent,
      );
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

export const emailChannel = channelType(emailSchema, (config, env) => new EmailChannel(config, env.timeoutMs, env.view));
