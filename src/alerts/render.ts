import type { AlertJob } from './alert.js';
import { describeNewFacts } from '../facts/extract-facts.js';
import type { Message } from './message.js';
import { alertText, alertTitle, digestLines, digestTitle } from './plain-text.js';
import { alertView, defaultViewSettings, digestView, type ViewSettings } from './view-model.js';

/**
 * Default renderings of a message: the generic webhook body (a contract with receivers: extend,
 * never rename) and a channel-neutral title/text that presets, email and console build on.
 */

function alertData(alert: AlertJob) {
  const { article, match, rule } = alert;
  return {
    alert: { id: alert.alertId },
    rule,
    article: {
      id: article.id,
      title: article.title,
      link: article.link,
      source: article.feedId,
      published: article.published,
      snippet: match.snippet,
      author: article.author,
      categories: article.categories,
    },
    matched: match.matched,
    ...(alert.story ? { story: alert.story } : {}),
    facts: alert.facts ?? [],
    ...(alert.newFacts ? { changes: { facts: alert.newFacts, summary: describeNewFacts(alert.newFacts) } } : {}),
  };
}

export type WebhookBody =
  | { type: 'alert.matched' | 'alert.follow_up'; timestamp: string; data: ReturnType<typeof alertData> }
  | { type: 'alert.digest'; timestamp: string; data: { reason: string; count: number; alerts: ReturnType<typeof alertData>[] } }
  | {
      type: string;
      timestamp: string;
      data: { subject: { kind: string; id: string }; title: string; text: string; details: Record<string, unknown> };
    };

export function webhookBody(message: Message): WebhookBody {
  switch (message.kind) {
    case 'alert':
      return { type: message.alert.event, timestamp: message.alert.matchedAt, data: alertData(message.alert) };
    case 'digest':
      return {
        type: 'alert.digest',
        timestamp: message.timestamp,
        data: { reason: message.reason, count: message.alerts.length, alerts: message.alerts.map(alertData) },
      };
    case 'notice': {
      const { notice } = message;
      return {
        type: notice.type,
        timestamp: notice.timestamp,
        data: { subject: notice.subject, title: notice.title, text: notice.text, details: notice.details },
      };
    }
  }
}

export interface MessageContent {
  /** One line: what happened. */
  title: string;
  /** Plain text body; snippets keep their «marks». */
  text: string;
  /** Where a click should go, when there is one place. */
  link?: string;
}

/**
 * The plain-text rendering of a message, from the view model. `escapeText` is applied to the title and the
 * text, for receivers that would read markup in feed text.
 */
export function messageContent(
  message: Message,
  escapeText: (text: string) => string = (s) => s,
  settings: ViewSettings = defaultViewSettings,
): MessageContent {
  switch (message.kind) {
    case 'alert': {
      const view = alertView(message.alert, settings);
      return { title: escapeText(alertTitle(view)), text: escapeText(alertText(view)), link: message.alert.article.link || undefined };
    }
    case 'digest': {
      const view = digestView(message, settings);
      return { title: escapeText(digestTitle(view)), text: escapeText(digestLines(view).join('\n')) };
    }
    case 'notice':
      return { title: escapeText(message.notice.title), text: escapeText(message.notice.text) };
  }
}
