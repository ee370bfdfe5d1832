import type { ChannelConfig } from '../../config/schema.js';
import type { Channel } from './channel.js';
import { ConsoleChannel } from './console.js';
import { EmailChannel } from './email.js';
import { FileChannel } from './file.js';
import { WebhookChannel } from './webhook.js';

export type { Channel } from './channel.js';
export { DeliveryError } from './channel.js';

export function createChannel(config: ChannelConfig, timeoutMs: number): Channel {
  switch (config.type) {
    case 'webhook':
      return new WebhookChannel(config, timeoutMs);
    case 'email':
      return new EmailChannel(config, timeoutMs);
    case 'console':
      return new ConsoleChannel(config.id);
    case 'file':
      return new FileChannel(config);
  }
}

/** The channels of one config generation, built once and closed when the config is replaced. */
export class ChannelRegistry {
  private readonly channels: Map<string, Channel>;

  constructor(configs: ChannelConfig[], timeoutMs: number) {
    this.channels = new Map(configs.map((c) => [c.id, createChannel(c, timeoutMs)]));
  }

  get(id: string): Channel | undefined {
    return this.channels.get(id);
  }

  async close(): Promise<void> {
    await Promise.all([...this.channels.values()].map((c) => c.close?.()));
  }
}
