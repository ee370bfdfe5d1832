import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/**
 * newswatch's Lua scripts, one `.lua` file per atomic step in `src/state/lua/`, registered once per
 * connection with ioredis `defineCommand`: each call is an EVALSHA (ioredis falls back to EVAL once when
 * Redis lost its script cache), never the whole script text per call. A script without a fixed
 * `numberOfKeys` takes the key count as its first argument.
 */
const SCRIPTS: Record<string, { numberOfKeys?: number; file: string }> = {
  /** See `Pacing.route`. */
  routeAlert: { file: 'route-alert.lua' },
  /** See `AlertClaims.claim`. */
  claimAlerts: { file: 'claim-alerts.lua' },
  /** KEYS: a feed's seen list. ARGV: ids of the current listing (8 bytes each), cap (ids), ttl ms. */
  seenMerge: { numberOfKeys: 1, file: 'seen-merge.lua' },
  /** KEYS: the article's story member key. ARGV: see the script. */
  storyAssign: { numberOfKeys: 1, file: 'story-assign.lua' },
  /** KEYS: a feed's slot claim. ARGV: slot, ttl ms. See `FeedStateStore.claimSlot`. */
  claimSlot: { numberOfKeys: 1, file: 'claim-slot.lua' },
  /** KEYS: a channel's health hash. See `ChannelHealth.recordSuccess`. */
  channelSuccess: { numberOfKeys: 1, file: 'channel-success.lua' },
  /** KEYS: a channel's digest buffer, its taking hash. See `Pacing.takeBuffer`. */
  takeDigestBuffer: { numberOfKeys: 2, file: 'take-digest-buffer.lua' },
};

type ScriptName = 'routeAlert' | 'claimAlerts' | 'seenMerge' | 'storyAssign' | 'claimSlot' | 'channelSuccess' | 'takeDigestBuffer';
type ScriptArg = string | number | Buffer;

/** A connection with newswatch's scripts defined on it. */
export type ScriptedRedis = Redis & { [K in ScriptName]: (...args: ScriptArg[]) => Promise<unknown> };

const sources = new Map<string, string>();
const prepared = new WeakSet<Redis>();

function source(name: string): string {
  let lua = sources.get(name);
  if (lua === undefined) {
    // Beside this module: `src/state/lua/` under tsx, `dist/src/state/lua/` once built (the build copies it).
    lua = readFileSync(new URL(`./lua/${SCRIPTS[name]!.file}`, import.meta.url), 'utf8');
    sources.set(name, lua);
  }
  return lua;
}

/** Defines every script on `redis` (once per connection) and returns it typed with them. */
export function withScripts(redis: Redis): ScriptedRedis {
  if (!prepared.has(redis)) {
    for (const name of Object.keys(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: SCRIPTS[name]!.numberOfKeys, lua: source(name) });
    prepared.add(redis);
  }
  return redis as ScriptedRedis;
}
