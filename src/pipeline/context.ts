import type { WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ChannelRegistry } from '../alerts/channels/index.js';
import type { Config } from '../config/load.js';
import type { FeedFetcher } from '../feeds/fetch/feed-fetcher.js';
import type { HostGate } from '../feeds/fetch/host-gate.js';
import type { Logger } from '../log/logger.js';
import type { NewswatchMetrics } from '../metrics/metrics.js';
import type { Queues } from '../queues/queues.js';
import { AlertLedger } from '../state/alert-ledger.js';
import { FeedStateStore } from '../state/feed-state.js';
import { stateKeys } from '../state/keys.js';
import { SeenItems } from '../state/seen-items.js';
import { AlertHistory } from '../state/alert-history.js';
import { ChannelHealth } from '../state/channel-health.js';
import { Pacing } from '../state/pacing.js';
import { StoryFacts } from '../state/story-facts.js';
import { StoryStore } from '../state/story-store.js';

/** Everything a worker needs, handed in once; `config()` is read per job so hot reloads apply. */
export interface PipelineContext {
  config(): Config;
  channels(): ChannelRegistry;
  queues: Queues;
  /** Options for a BullMQ worker: its own blocking connection, the prefix, the shared lock settings. */
  workerOptions(concurrency: number): WorkerOptions;
  prefix: string;
  state: PipelineState;
  fetcher: FeedFetcher;
  hostGate: HostGate;
  log: Logger;
  metrics: NewswatchMetrics;
}

export interface PipelineState {
  feeds: FeedStateStore;
  seen: SeenItems;
  /** Which (rule, article) and (rule, story) pairs alerted: not the alerts queue (`queues.alerts`). */
  alertLedger: AlertLedger;
  stories: StoryStore;
  storyFacts: StoryFacts;
  /** Whether each channel works: not the channels themselves (`channels()`). */
  channelHealth: ChannelHealth;
  pacing: Pacing;
  history: AlertHistory;
}

export function createPipelineState(redis: Redis, config: Config): PipelineState {
  const keys = stateKeys(config.settings.redis.prefix);
  return {
    feeds: new FeedStateStore(redis, keys),
    seen: new SeenItems(redis, keys, config.settings.feeds.seen_ttl),
    alertLedger: new AlertLedger(
      redis,
      keys,
      config.settings.alerts.dedup_ttl,
      config.settings.stories.window,
      config.settings.alerts.history,
    ),
    stories: new StoryStore(redis, keys, config.settings.stories.window, config.settings.stories.overlap),
    storyFacts: new StoryFacts(redis, keys, config.settings.stories.window),
    channelHealth: new ChannelHealth(redis, keys),
    pacing: new Pacing(redis, keys),
    history: new AlertHistory(redis, keys, config.settings.alerts.history),
  };
}
