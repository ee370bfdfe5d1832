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
  /** See `SetBatcher`. */
  setMany: { file: 'set-many.lua' },
};

/** Scripts whose calls of one turn of the event loop can go as one call: see `ScriptBatcher`. */
const BATCHABLE_SCRIPTS = ['storyAssign', 'claimAlerts', 'routeAlert'] as const;
export type BatchableScript = (typeof BATCHABLE_SCRIPTS)[number];

type ScriptName =
  | 'routeAlert'
  | 'claimAlerts'
  | 'seenMerge'
  | 'storyAssign'
  | 'claimSlot'
  | 'channelSuccess'
  | 'takeDigestBuffer'
  | 'setMany';
export type ScriptArg = string | number | Buffer;

/** A connection with newswatch's scripts defined on it. */
export type ScriptedRedis = Redis & { [K in ScriptName | `${BatchableScript}Batch`]: (...args: ScriptArg[]) => Promise<unknown> };

/**
 * A batchable script run once per call of a batch, in order, as if each were its own EVALSHA: the
 * script's text becomes the body of a function of (KEYS, ARGV). KEYS: every call's keys, one after
 * another. ARGV: [1] the number of calls n, then per call its key count and its argument count, then
 * every call's arguments. Returns per call its script's reply (nil as false, so the list keeps its
 * length). An error reply of one call is that call's element; a runtime error fails the whole batch.
 */
function batchSource(name: BatchableScript): string {
  return `local function call(KEYS, ARGV)
${source(name)}
end
local n = tonumber(ARGV[1])
local ki, ai = 1, 2 + 2 * n
local out = {}
for i = 1, n do
  local nk, na = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local keys, argv = {}, {}
  for j = 1, nk do keys[j] = KEYS[ki + j - 1] end
  for j = 1, na do argv[j] = ARGV[ai + j - 1] end
  ki, ai = ki + nk, ai + na
  local reply = call(keys, argv)
  if reply == nil then reply = false end
  out[i] = reply
end
return out
`;
}

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
/** How many of a script's call arguments are keys (the first argument, for a script without a fixed count). */
export function keyCount(name: ScriptName, args: readonly ScriptArg[]): { keys: number; skip: number } {
  const fixed = SCRIPTS[name]!.numberOfKeys;
  return fixed === undefined ? { keys: Number(args[0]), skip: 1 } : { keys: fixed, skip: 0 };
}

export function withScripts(redis: Redis): ScriptedRedis {
  if (!prepared.has(redis)) {
    for (const name of Object.keys(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: SCRIPTS[name]!.numberOfKeys, lua: source(name) });
    for (const name of BATCHABLE_SCRIPTS) redis.defineCommand(`${name}Batch`, { lua: batchSource(name) });
    prepared.add(redis);
  }
  return redis as ScriptedRedis;
}
