import type { AlertJob } from '../queues/queues.js';

/** The generic webhook body. Field names are a contract with receivers: extend, never rename. */
export interface AlertPayload {
  type: 'alert.matched';
  timestamp: string;
  data: {
    alert: { id: string };
    rule: { id: string; name: string; severity: string; labels: Record<string, string> };
    article: {
      id: string;
      title: string;
      link: string;
      source: string;
      published: string;
      snippet: string;
      author: string;
      categories: string[];
    };
    matched: string[];
  };
}

export function alertPayload(alert: AlertJob): AlertPayload {
  const { article, match, rule } = alert;
  return {
    type: 'alert.matched',
    timestamp: alert.matchedAt,
    data: {
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
    },
  };
}

/** One-line human summary used by console output and email subjects. */
export function alertHeadline(alert: AlertJob): string {
  return `[${alert.rule.name}] ${alert.article.title || '(untitled)'}`;
}
