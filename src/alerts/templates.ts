import type { Template, Liquid } from 'liquidjs';
import { formatFacts } from '../facts/article-facts.js';
import { escapeMarkdown } from './markdown.js';
import type { Message } from './message.js';
import { engines, type TemplateEscaping, type TemplateField, type TemplateSpec } from './template-source.js';
import { alertView, defaultViewSettings, digestView, type ViewSettings } from './view-model.js';
import { messageContent, webhookBody, type MessageContent, type WebhookBody } from './render.js';

/** Rendering channel templates: the context a template sees, and each channel's parsed templates. */

const contentEscapes: Record<TemplateEscaping, ((s: string) => string) | undefined> = {
  none: undefined,
  html: undefined,
  markdown: escapeMarkdown,
};

type AlertData = Extract<WebhookBody, { type: 'alert.matched' | 'alert.follow_up' }>['data'];
type DigestData = Extract<WebhookBody, { type: 'alert.digest' }>['data'];

/**
 * What a template can use. Alert fields are the generic webhook body's `data` (one vocabulary for
 * receivers and templates), plus `snippet` at the top level, `content` (the default plain rendering) and
 * `view`, the view model every channel lays out (headline, source, published.text, why, story, ...).
 * `facts` is the one exception: Liquid prints a list of objects as nothing readable, so `{{ facts }}`
 * is the facts as one line and `fact_list` the list to loop over.
 */
export function templateContext(message: Message, settings: ViewSettings = defaultViewSettings): Record<string, unknown> {
  const body = webhookBody(message);
  const { title, text, link } = messageContent(message, undefined, settings);
  const common = { kind: message.kind, event: body.type, timestamp: body.timestamp, content: { title, text, link } };
  switch (message.kind) {
    case 'alert': {
      const data = body.data as AlertData;
      return {
        ...common,
        ...data,
        ...factFields(data),
        story: data.story ?? null,
        snippet: data.article.snippet,
        view: alertView(message.alert, settings),
      };
    }
    case 'digest': {
      const data = body.data as DigestData;
      const alerts = data.alerts.map((a, i) => ({
        ...a,
        ...factFields(a),
        snippet: a.article.snippet,
        view: alertView(message.alerts[i]!, settings),
      }));
      return { ...common, reason: data.reason, count: data.count, alerts, view: digestView(message, settings) };
    }
    case 'notice':
      return { ...common, notice: message.notice };
  }
}

const factFields = (data: AlertData) => ({ facts: formatFacts(data.facts), fact_list: data.facts });

/** The parsed templates of one channel, for one kind of escaping. */
export class ChannelTemplates {
  private readonly parsed: Partial<Record<TemplateField, Template[]>>;
  /** Only a channel with templates loads liquidjs. */
  private readonly engine?: Liquid;

  constructor(
    spec: TemplateSpec | undefined,
    readonly escaping: TemplateEscaping = 'none',
  ) {
    const sources = Object.entries(spec ?? {}).filter(([, source]) => source !== undefined);
    const engine = sources.length > 0 ? engines()[escaping] : undefined;
    this.engine = engine;
    this.parsed = engine ? Object.fromEntries(sources.map(([field, source]) => [field, engine.parse(source as string)])) : {};
  }

  has(field: TemplateField): boolean {
    return this.parsed[field] !== undefined;
  }

  /** The rendered field, or undefined when the channel has no template for it. Throws when rendering fails. */
  render(field: TemplateField, context: Record<string, unknown>): string | undefined {
    const template = this.parsed[field];
    if (!template || !this.engine) return undefined;
    try {
      return this.engine.renderSync(template, context) as string;
    } catch (err) {
      throw new Error(`template.${field} failed to render: ${(err as Error).message.split('\n')[0]}`);
    }
  }
}

/** Titles and subjects are one line, however a template or feed broke them. */
export const singleLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/** `messageContent` with the channel's title and body templates applied. */
export function templatedContent(
  message: Message,
  templates: ChannelTemplates,
  settings: ViewSettings = defaultViewSettings,
): MessageContent {
  const content = messageContent(message, contentEscapes[templates.escaping], settings);
  if (!templates.has('title') && !templates.has('body')) return content;
  const context = templateContext(message, settings);
  return {
    ...content,
    title: singleLine(templates.render('title', context) ?? content.title),
    text: templates.render('body', context) ?? content.text,
  };
}
