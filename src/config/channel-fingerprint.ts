import { createHash } from 'node:crypto';
import type { ChannelConfig } from './schema.js';

/**
 * By config object: a loaded config is never changed in place (a reload makes new objects), and every
 * delivery asks for its channel's fingerprint.
 */
const fingerprints = new WeakMap<ChannelConfig, string>();

/** Identifies one version of a channel's config: a channel disabled by a 410 comes back when its config changes. */
export function channelFingerprint(channel: ChannelConfig): string {
  let fingerprint = fingerprints.get(channel);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256').update(JSON.stringify(channel)).digest('base64url').slice(0, 16);
    fingerprints.set(channel, fingerprint);
  }
  return fingerprint;
}
