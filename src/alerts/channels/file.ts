import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ChannelConfigOf } from '../../config/fields/channel-fields.js';
import { webhookBody } from '../render.js';
import type { Message } from '../message.js';
import { channelType, type Channel, type RenderedMessage } from './channel.js';
import { DeliveryError } from '../delivery-error.js';
import { fileSchema } from './channel-schemas.js';

type FileChannelConfig = ChannelConfigOf<typeof fileSchema>;

/** Appends one JSON line per alert (the webhook payload plus the delivery id), for scripts and audits. */
class FileChannel implements Channel {
  readonly type = 'file';
  readonly id: string;
  private readonly path: string;

  constructor(config: FileChannelConfig) {
    this.id = config.id;
    this.path = resolve(config.path);
  }

  render(message: Message): RenderedMessage {
    return { kind: 'text', text: `${JSON.stringify(webhookBody(message))}\n` };
  }

  async send(message: Message, deliveryId: string): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, `${JSON.stringify({ deliveryId, ...webhookBody(message) })}\n`);
    } catch (err) {
      throw new DeliveryError(`cannot append to ${this.path}: ${(err as Error).message}`, true);
    }
  }
}

/** No templates: a JSON line per message is the same contract as the webhook body. */
export const fileChannel = channelType(fileSchema, (config) => new FileChannel(config));
