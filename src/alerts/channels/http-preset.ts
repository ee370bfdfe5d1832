import type { z } from 'zod';
import type { ChannelConfigOf } from '../../config/fields/channel-fields.js';
import type { Message } from '../message.js';
import { ChannelTemplates } from '../templates.js';
import type { TemplateEscaping } from '../template-source.js';
import { defaultViewSettings, type ViewSettings } from '../view-model.js';
import { channelContent } from './channel-content.js';
import { channelType, type Channel, type ChannelEnv, type ChannelType, type RenderedMessage } from './channel.js';
import { postHttp, type HttpOptions, type HttpPost } from './http-post.js';

/** What a preset makes of one message: a POST without the shared timeout and dispatcher. */
type PresetRequest = Omit<HttpPost, keyof HttpOptions>;

export type BuildRequest<S extends z.ZodObject> = (
  message: Message,
  templates: ChannelTemplates,
  config: ChannelConfigOf<S>,
  view: ViewSettings,
) => PresetRequest;

/**
 * A channel that sends each message as one HTTP POST. Presets (Slack, Discord, Teams, ntfy,
 * Telegram) differ only in the request they build; templates are parsed once, here.
 */
export function httpPresetChannel<S extends z.ZodObject & { shape: { type: z.ZodLiteral<string> } }>(
  schema: S,
  build: BuildRequest<S>,
  escaping: TemplateEscaping = 'none',
): ChannelType<S> {
  return channelType(schema, (config, env) => new HttpPresetChannel(config, env, build, escaping));
}

/**
 * A chat preset whose receiver reads Markdown (Discord, Teams): one JSON POST to the channel's `url`,
 * feed text Markdown-escaped, `payload` told whether the channel's own title/body templates apply.
 */
export function markdownJsonPresetChannel<S extends z.ZodObject & { shape: { type: z.ZodLiteral<string>; url: z.ZodType<string> } }>(
  schema: S,
  payload: (message: Message, content: ReturnType<typeof channelContent>, templated: boolean, view: ViewSettings) => unknown,
): ChannelType<S> {
  return httpPresetChannel(
    schema,
    (message, templates, config, view) => ({
      url: (config as { url: string }).url,
      contentType: 'application/json',
      body: JSON.stringify(
        payload(message, channelContent(message, templates, view), templates.has('title') || templates.has('body'), view),
      ),
    }),
    'markdown',
  );
}

class HttpPresetChannel<S extends z.ZodObject> implements Channel {
  readonly id: string;
  readonly type: string;
  private readonly templates: ChannelTemplates;
  private readonly http: HttpOptions;
  private readonly view: ViewSettings;

  constructor(
    private readonly config: ChannelConfigOf<S>,
    { view, ...http }: ChannelEnv,
    private readonly build: BuildRequest<S>,
    escaping: TemplateEscaping,
  ) {
    const { id, type, template } = config as { id: string; type: string; template?: ConstructorParameters<typeof ChannelTemplates>[0] };
    this.id = id;
    this.type = type;
    this.templates = new ChannelTemplates(template, escaping);
    this.http = http;
    this.view = view ?? defaultViewSettings;
  }

  render(message: Message): RenderedMessage {
    const { url, contentType, headers = {}, body } = this.build(message, this.templates, this.config, this.view);
    return { kind: 'http', url, contentType, headers, body };
  }

  async send(message: Message): Promise<void> {
    await postHttp({ ...this.build(message, this.templates, this.config, this.view), ...this.http });
  }
}
