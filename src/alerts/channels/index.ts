import type { ChannelConfigOf } from '../../config/fields/channel-fields.js';
import type { Channel } from './channel.js';
import type { ChannelEnv, ChannelType } from './channel.js';
import type { channelSchemas } from './channel-schemas.js';
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
export { DeliveryError } from '../delivery-error.js';

/**
 * Every channel type: `type` in channels.yaml -> its config schema and constructor. The config schema
 * (`channelSchema`) is built from `channelSchemas`; `satisfies` keeps the two tables to the same types
 * and each type to its own schema.
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
} satisfies { [T in keyof typeof channelSchemas]: ChannelType<(typeof channelSchemas)[T]> };

/** The validated config of any channel type (what the config schema's `ChannelConfig` is made of). */
type AnyChannelConfig = ChannelConfigOf<(typeof channelTypes)[keyof typeof channelTypes]['schema']>;

export function createChannel(config: AnyChannelConfig, env: ChannelEnv): Channel {
  // The table is keyed by `type`, so the config matches the entry's schema; TS cannot follow that correlation.
  const type = channelTypes[config.type] as { create(config: AnyChannelConfig, env: ChannelEnv): Channel };
  return type.create(config, env);
}

/** The channels of one config generation, built once and closed when the config is replaced. */
export class ChannelRegistry {
  private readonly channels: Map<string, Channel>;

  constructor(
    configs: AnyChannelConfig[],
    private readonly http: ChannelEnv,
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
