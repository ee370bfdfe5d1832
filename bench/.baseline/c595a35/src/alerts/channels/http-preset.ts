import type { z } from 'zod';
import type { ChannelConfigOf } from '../../config/schema.js';
import type { DeliveryJob } from '../../queues/queues.js';
import type { Message } from '../message.js';
import { ChannelTemplates, type TemplateEscaping } from '../templates.js';
import { channelType, type Channel, type ChannelType } from './channel.js';
import { postHttp, type HttpOptions, type HttpPost } from './http-post.js';

/** What a preset makes of one message: a POST without the shared timeout and dispatcher. */
export type PresetRequest = Omit<HttpPost, keyof HttpOptions>;

export type BuildRequest<S extends z.ZodObject> = (message: Message, templates: ChannelTemplates, config: ChannelConfigOf<S>) => PresetRequest;

/**
 * A channel that sends each message as one HTTP POST. Presets (Slack, Discord, Teams, ntfy,
 * Telegram) differ only in the request they build; templates are parsed once, here.
 */
export function httpPresetChannel<S extends z.ZodObject & { shape: { type: z.ZodLiteral<string> } }>(
  schema: S,
  build: BuildRequest<S>,
  escaping: TemplateEscaping = 'none',
): ChannelType<S> {
  return channelType(schema, (config, http) => new HttpPresetChannel(config, http, build, escaping));
}

class HttpPresetChannel<S extends z.ZodObject> implements Channel {
  readonly id: string;
  readonly type: string;
  private readonly templates: ChannelTemplates;

  constructor(
    private readonly config: ChannelConfigOf<S>,
    private readonly http: HttpOptions,
    private readonly build: BuildRequest<S>,
    escaping: TemplateEscaping,
  ) {
    const { id, type, template } = config as { id: string; type: string; template?: ConstructorParameters<typeof ChannelTemplates>[0] };
    this.id = id;
    this.type = type;
    this.templates = new ChannelTemplates(template, escaping);
  }

  async send({ message }: DeliveryJob): Promise<void> {
    await postHttp({ ...this.build(message, this.templates, this.config), ...this.http });
  }
}
