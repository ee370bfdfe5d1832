import type { Redis } from 'ioredis';
import type { ChannelRegistry } from '../alerts/channels/index.js';
import type { Config } from '../config/load.js';
import type { FeedFetcher } from '../feeds/fetch/feed-fetcher.js';
import type { Logger } from '../log/logger.js';
import type { Queues } from '../queues/queues.js';
import { AlertLedger } from '../state/alert-ledger.js';
import { FeedStateStore } from '../state/feed-state.js';
import { stateKeys } from '../state/keys.js';
import { SeenItems } from '../state/seen-items.js';

/** Everything a worker needs, handed in once; `config()` is read per job so hot reloads apply. */
export interface PipelineContext {
  config(): Config;
  channels(): ChannelRegistry;
  queues: Queues;
  /** Makes a blocking connection for a BullMQ worker. */
  workerConnection(): Redis;
  prefix: string;
  state: PipelineState;
  fetcher: FeedFetcher;
  log: Logger;
}

export interface PipelineState {
  feeds: FeedStateStore;
  seen: SeenItems;
  alerts: AlertLedger;
}

export function createPipelineState(redis: Redis, config: Config): PipelineState {
  const keys = stateKeys(config.settings.redis.prefix);
  return {
    feeds: new FeedStateStore(redis, keys),
    seen: new SeenItems(redis, keys, config.settings.feeds.seen_ttl),
    alerts: new AlertLedger(redis, keys, config.settings.alerts.dedup_ttl),
  };
}
