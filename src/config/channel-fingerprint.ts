import { createHash } from 'node:crypto';
import type { ChannelConfig } from './schema.js';

/** Identifies one version of a channel's config: a channel disabled by a 410 comes back when its config changes. */
export function channelFingerprint(channel: ChannelConfig): string {
  return createHash('sha256').update(JSON.stringify(channel)).digest('base64url').slice(0, 16);
}
