import { createTransport, type Transporter } from 'nodemailer';
import type { EmailChannelConfig } from '../../config/schema.js';
import type { DeliveryJob } from '../../queues/queues.js';
import type { Message } from '../message.js';
import { messageContent } from '../render.js';
import { DeliveryError, type Channel } from './channel.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Text and HTML parts of one message; every value from a feed is escaped in the HTML. */
export function renderEmail(message: Message): { subject: string; text: string; html: string } {
  const content = messageContent(message);
  const items = content.items
    .map(
      (i) => `<li><a href="${escapeHtml(i.link)}">${escapeHtml(i.title)}</a><br>${escapeHtml(i.snippet).replace(/«([^»]*)»/g, '<mark>$1</mark>')}
<br><small style="color:#555">${escapeHtml(i.rule)} &middot; ${escapeHtml(i.source)}, ${escapeHtml(i.published)}</small></li>`,
    )
    .join('\n');
  const body = items ? `<ul style="padding-left:1em">${items}</ul>` : `<p>${escapeHtml(content.text).replace(/\n/g, '<br>')}</p>`;
  const html = `<!doctype html><html><body><h2>${escapeHtml(content.title)}</h2>\n${body}\n</body></html>`;
  return { subject: `[newswatch] ${content.title}`.slice(0, 250), text: `${content.title}\n\n${content.text}\n`, html };
}

export class EmailChannel implements Channel {
  readonly type = 'email';
  readonly id: string;
  private readonly transport: Transporter;

  constructor(private readonly config: EmailChannelConfig, timeoutMs: number) {
    this.id = config.id;
    this.transport = createTransport({
      pool: true,
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.user ? { user: config.user, pass: config.pass ?? '' } : undefined,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async send(delivery: DeliveryJob): Promise<void> {
    const { subject, text, html } = renderEmail(delivery.message);
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: this.config.to,
        subject,
        text,
        html,
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
