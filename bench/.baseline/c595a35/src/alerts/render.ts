import type { AlertJob } from '../queues/queues.js';
import type { Message } from './message.js';

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
  };
}

export type WebhookBody =
  | { type: 'alert.matched' | 'alert.follow_up'; timestamp: string; data: ReturnType<typeof alertData> }
  | { type: 'alert.digest'; timestamp: string; data: { reason: string; count: number; alerts: ReturnType<typeof alertData>[] } }
  | { type: string; timestamp: string; data: { subject: { kind: string; id: string }; title: string; text: string; details: Record<string, unknown> } };

export function webhookBody(message: Message): WebhookBody {
  switch (message.kind) {
    case 'alert':
      return { type: message.alert.event, timestamp: message.alert.matchedAt, data: alertData(message.alert) };
    case 'digest':
      return { type: 'alert.digest', timestamp: message.timestamp, data: { reason: message.reason, count: message.alerts.length, alerts: message.alerts.map(alertData) } };
    case 'notice': {
      const { notice } = message;
      return { type: notice.type, timestamp: notice.timestamp, data: { subject: notice.subject, title: notice.title, text: notice.text, details: notice.details } };
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
  /** The individual items of a digest (one for an alert). */
  items: Array<{ title: string; link: string; snippet: string; rule: string; source: string; published: string }>;
}

const item = (a: AlertJob) => ({
  title: a.article.title || '(untitled)',
  link: a.article.link,
  snippet: a.match.snippet,
  rule: a.rule.name,
  source: a.article.feedId,
  published: a.article.published,
});

export function messageContent(message: Message): MessageContent {
  switch (message.kind) {
    case 'alert': {
      const { alert } = message;
      const followUp = alert.event === 'alert.follow_up' && alert.story ? ` (now reported by ${alert.story.sources} sources)` : '';
      const also = alert.story && alert.story.sources > 1 ? `\nAlso reported by ${alert.story.sources - 1} other source(s).` : '';
      return {
        title: `[${alert.rule.name}] ${alert.article.title || '(untitled)'}${followUp}`,
        text: `${alert.match.snippet}\n${alert.article.link}\nMatched: ${alert.match.matched.join(', ')} · ${alert.article.feedId}, ${alert.article.published}${also}`,
        link: alert.article.link || undefined,
        items: [item(alert)],
      };
    }
    case 'digest': {
      const why = { digest: 'digest', throttle: 'held back by the throttle', mute: 'collected during a mute window' }[message.reason];
      return {
        title: `${message.alerts.length} alert(s) (${why})`,
        text: message.alerts.map((a) => `• [${a.rule.name}] ${a.article.title}\n  ${a.article.link}`).join('\n'),
        items: message.alerts.map(item),
      };
    }
    case 'notice':
      return { title: message.notice.title, text: message.notice.text, items: [] };
  }
}
