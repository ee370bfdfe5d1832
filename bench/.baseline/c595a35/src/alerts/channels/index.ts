import type { ChannelConfig } from '../../config/schema.js';
import type { Channel } from './channel.js';
import type { HttpOptions } from './http-post.js';
import { consoleChannel } from './console.js';
import { discordChannel } from './discord.js';
import { emailChannel } from './email.js';
import { fileChannel } from './file.js';
import { ntfyChannel } from './ntfy.js';
import { slackChannel } from './slack.js';
import { teamsChannel } from './teams.js';
import { telegramChannel } from './telegram.js';
import { webhookChannel } from './webhook.js';

export type { Channel } from './channel.js';
export { DeliveryError } from './channel.js';

/**
 * Every channel type: `type` in channels.yaml -> its config schema and constructor. The config
 * schema (`channelSchema`) is built from this table, so a new type is one module and one line here.
 */
export const channelTypes = {
  webhook: webhookChannel,
  email: emailChannel,
  console: consoleChannel,
  file: fileChannel,
  slack: slackChannel,
  discord: discordChannel,
  teams: teamsChannel,
  ntfy: ntfyChannel,
  telegram: telegramChannel,
};

export function createChannel(config: ChannelConfig, http: HttpOptions): Channel {
  // The table is keyed by `type`, so the config matches the entry's schema; TS cannot follow that correlation.
  const type = channelTypes[config.type] as { create(config: ChannelConfig, http: HttpOptions): Channel };
  return type.create(config, http);
}

/** The channels of one config generation, built once and closed when the config is replaced. */
export class ChannelRegistry {
  private readonly channels: Map<string, Channel>;

  constructor(
    configs: ChannelConfig[],
    private readonly http: HttpOptions,
  ) {
    this.channels = new Map(configs.map((c) => [c.id, createChannel(c, http)]));
  }

  get(id: string): Channel | undefined {
    return this.channels.get(id);
  }

  async close(): Promise<void> {
    await Promise.all([...this.channels.values()].map((c) => c.close?.()));
    await this.http.dispatcher?.close();
  }
}
