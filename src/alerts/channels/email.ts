import { createTransport, type Transporter } from 'nodemailer';
import type { EmailChannelConfig } from '../../config/schema.js';
import type { DeliveryJob } from '../../queues/queues.js';
import { alertHeadline } from '../payload.js';
import { DeliveryError, type Channel } from './channel.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderEmail(delivery: DeliveryJob): { subject: string; text: string; html: string } {
  const { alert } = delivery;
  const { article, match } = alert;
  const lines = [
    article.title,
    article.link,
    '',
    match.snippet,
    '',
    `Rule: ${alert.rule.name} (${alert.rule.id})`,
    `Matched: ${match.matched.join(', ')}`,
    `Source: ${article.feedId}, published ${article.published}`,
  ];
  const snippetHtml = escapeHtml(match.snippet).replace(/«([^»]*)»/g, '<mark>$1</mark>');
  const html = `<!doctype html><html><body>
<h2><a href="${escapeHtml(article.link)}">${escapeHtml(article.title)}</a></h2>
<p>${snippetHtml}</p>
<p style="color:#555">Rule: ${escapeHtml(alert.rule.name)} &middot; matched: ${escapeHtml(match.matched.join(', '))} &middot; ${escapeHtml(article.feedId)}, ${escapeHtml(article.published)}</p>
</body></html>`;
  return { subject: `[newswatch] ${alertHeadline(alert)}`.slice(0, 250), text: lines.join('\n'), html };
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
    const { subject, text, html } = renderEmail(delivery);
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
