import { z } from 'zod';
import { templateSchema } from '../template-source.js';

/**
 * The config schema of each channel type: the keys of its entry in channels.yaml besides the common ones
 * (`channelBase`, added by the config schema). Kept apart from the channels themselves so that
 * validating a config loads neither renderers nor HTTP nor mail; each channel module builds on its schema
 * here, and the registry (`index.ts`) is checked at compile time to pair every type with its schema.
 */

export const webhookSchema = z.strictObject({
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }),
  /**
   * One secret, or several while rotating (a YAML list or space-separated, e.g. "${NEW} ${OLD}"):
   * every one signs, so receivers holding either verify.
   */
  secret: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(/[\s,]+/)).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(whsec_)?[A-Za-z0-9+/=]+$/, 'secret must be whsec_<base64> as Standard Webhooks defines it')))
    .optional(),
  headers: z.record(z.string(), z.string()).default({}),
});

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
        .refine(
          (key) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key),
          'private_key must be a PEM private key (-----BEGIN PRIVATE KEY-----...)',
        ),
    })
    .optional(),
  template: templateSchema(['subject', 'title', 'body']).optional(),
});

export const consoleSchema = z.strictObject({
  type: z.literal('console'),
  template: templateSchema(['title', 'body']).optional(),
});

export const fileSchema = z.strictObject({ type: z.literal('file'), path: z.string().min(1) });

/** A chat service's incoming webhook: its URL (`error` says which one it must be) and an optional template. */
const chatWebhookSchema = <T extends string>(type: T, error: string) =>
  z.strictObject({
    type: z.literal(type),
    url: z.url({ protocol: /^https?$/, error }),
    template: templateSchema(['title', 'body']).optional(),
  });

export const slackSchema = chatWebhookSchema('slack', 'url must be the Slack incoming webhook URL (https://hooks.slack.com/services/...)');
export const discordSchema = chatWebhookSchema('discord', 'url must be the Discord webhook URL (https://discord.com/api/webhooks/...)');
export const teamsSchema = chatWebhookSchema('teams', 'url must be the Teams workflow or incoming webhook URL');

export const ntfySchema = z.strictObject({
  type: z.literal('ntfy'),
  url: z.url({ protocol: /^https?$/, error: 'url must be the topic URL, e.g. https://ntfy.sh/my-topic' }),
  /** Access token for protected topics (sent as `Authorization: Bearer`). */
  token: z.string().min(1).optional(),
  /** Extra tags (emoji short codes such as `rotating_light` show as icons). */
  tags: z.array(z.string().regex(/^[^,\n]+$/, 'a tag must not contain commas or line breaks')).default([]),
  template: templateSchema(['title', 'body']).optional(),
});

export const telegramSchema = z.strictObject({
  type: z.literal('telegram'),
  // The token is a secret: the message names the format, never the value.
  token: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'token must be a bot token as BotFather gives it (123456:ABC...); set it with ${ENV}'),
  chat_id: z.union([
    z.number().int(),
    z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/, 'chat_id must be a numeric chat id or @channelusername'),
  ]),
  /** The Bot API server; override for a local Bot API server (or a test receiver). */
  api_url: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  /** Title and body templates are Telegram HTML: `{{ values }}` are escaped, tags written in the template are kept. */
  template: templateSchema(['title', 'body']).optional(),
});

/** Every channel type's schema by `type`: what the config schema (`channelSchema`) is built from. */
export const channelSchemas = {
  webhook: webhookSchema,
  email: emailSchema,
  console: consoleSchema,
  file: fileSchema,
  slack: slackSchema,
  discord: discordSchema,
  teams: teamsSchema,
  ntfy: ntfySchema,
  telegram: telegramSchema,
};
