import { z } from 'zod';
import type { ChannelConfigOf } from '../../config/schema.js';
import type { DeliveryJob } from '../../queues/queues.js';
import { ChannelTemplates, templateSchema } from '../templates.js';
import { channelContent, channelType, type Channel } from './channel.js';

export const consoleSchema = z.strictObject({
  type: z.literal('console'),
  template: templateSchema(['title', 'body']).optional(),
});
export type ConsoleChannelConfig = ChannelConfigOf<typeof consoleSchema>;

/** Prints alerts for a person at a terminal (logs go to the logger; this is the product's output). */
export class ConsoleChannel implements Channel {
  readonly type = 'console';
  readonly id: string;
  private readonly templates: ChannelTemplates;

  constructor(
    config: Pick<ConsoleChannelConfig, 'id' | 'template'>,
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {
    this.id = config.id;
    this.templates = new ChannelTemplates(config.template);
  }

  async send({ message }: DeliveryJob): Promise<void> {
    const { title, text } = channelContent(message, this.templates);
    this.out.write(`ALERT ${title}\n${text.replace(/^/gm, '  ')}\n`);
  }
}

export const consoleChannel = channelType(consoleSchema, (config) => new ConsoleChannel(config));
