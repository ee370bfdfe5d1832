import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ChannelRegistry } from '../alerts/channels/index.js';
import type { HttpOptions } from '../alerts/channels/http-post.js';
import type { Settings } from '../config/schema.js';
import { createDispatcher } from '../net/dispatcher.js';
import { ConfigWatcher } from '../config/config-watcher.js';
import { formatProblem, loadConfig, type Config, type ConfigProblem } from '../config/load.js';
import { fetcherFromSettings } from '../feeds/fetch-once.js';
import { HostGate } from '../feeds/fetch/host-gate.js';
import type { Logger } from '../log/logger.js';
import { createPipelineState, type PipelineContext } from '../pipeline/context.js';
import { clientConnection, configuredRedis, describeRedis, resolveRedis, warnOnEvictionPolicy, workerConnection, type RedisTarget } from '../queues/connection.js';
import { closeQueues, createQueues } from '../queues/queues.js';
import { FeedScheduler } from '../schedule/feed-scheduler.js';
import { syncFlushSchedules } from '../schedule/flush-scheduler.js';
import { createDeliveryWorker } from '../../workers/deliver-worker.js';
import { createDispatchWorkers } from '../../workers/dispatch-worker.js';
import { createFetchWorker } from '../../workers/fetch-worker.js';
import { createMatchWorker } from '../../workers/match-worker.js';

export const ROLES = ['scheduler', 'fetch', 'match', 'deliver'] as const;
export type Role = (typeof ROLES)[number];

export interface DaemonOptions {
  configDir: string;
  roles?: readonly Role[];
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Where a managed redis-server keeps its data. */
  dataDir?: string;
  /** The address tried when neither REDIS_URL nor settings name one (tests point it elsewhere). */
  defaultRedisUrl?: string;
  /** Whether to watch the config directory for edits. */
  watchConfig?: boolean;
}

export interface Daemon {
  readonly redis: RedisTarget;
  config(): Config;
  /** Applies the config directory now, as a file edit would; returns whether it was valid. */
  reloadConfig(): Promise<boolean>;
  stop(): Promise<void>;
}

export class ConfigInvalidError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid config:\n${problems.map(formatProblem).join('\n')}`);
  }
}

const SHUTDOWN_GRACE_MS = 8_000;

/** Settings the running workers and connections were built with; everything else follows reloads. */
const RESTART_ONLY_SETTINGS = ['redis', 'concurrency', 'workers'] as const;

/** Starts the roles asked for against one Redis; everything stops cleanly through `stop()`. */
export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const env = opts.env ?? process.env;
  const roles = new Set(opts.roles ?? ROLES);
  const log = opts.log;
  const loaded = loadConfig(resolve(opts.configDir), env);
  if (!loaded.ok) throw new ConfigInvalidError(loaded.errors);
  const watcher = new ConfigWatcher(loaded.config, log, env);
  for (const w of loaded.config.warnings) log.warn({ file: w.file, line: w.line }, formatProblem(w));
  const { settings } = loaded.config;

  const redisTarget = await resolveRedis({
    configured: configuredRedis(settings.redis, env),
    defaultUrl: opts.defaultRedisUrl,
    dataDir: opts.dataDir ?? resolve('data'),
    log,
  });
  const redis = clientConnection(redisTarget);
  redis.on('error', (err) => log.warn({ err: err.message }, 'Redis connection error; reconnecting'));
  await warnOnEvictionPolicy(redis, log);

  const prefix = settings.redis.prefix;
  // BullMQ does not close connections it is handed: the daemon closes its workers' own.
  const workerConnections: Redis[] = [];
  const trackConnection = (connection: Redis) => {
    // Workers report connection trouble themselves ("worker error"); this only keeps ioredis from printing stacks.
    connection.on('error', () => {});
    workerConnections.push(connection);
    return connection;
  };
  const queues = createQueues(redis, prefix);
  // The shared connection already logs Redis trouble; without a listener BullMQ prints stacks to stderr.
  for (const queue of Object.values(queues)) queue.on('error', () => {});
  let channels = new ChannelRegistry(roles.has('deliver') ? loaded.config.channels : [], channelHttp(settings));
  const ctx: PipelineContext = {
    config: () => watcher.current,
    channels: () => channels,
    queues,
    workerOptions: (concurrency) => ({
      connection: trackConnection(workerConnection(redisTarget)),
      prefix,
      concurrency,
      lockDuration: settings.workers.lock_duration,
      stalledInterval: settings.workers.stalled_interval,
      // After a Redis outage, poll for work again within 2 s rather than BullMQ's default 15 s.
      runRetryDelay: 2_000,
    }),
    prefix,
    state: createPipelineState(redis, loaded.config),
    fetcher: fetcherFromSettings(settings),
    hostGate: new HostGate(settings.feeds.per_host_concurrency, settings.feeds.per_host_gap),
    log,
  };

  watcher.onChange((config) => {
    // Settings apply on reload too: the fetcher, host limits and state TTLs are rebuilt from them.
    ctx.fetcher = fetcherFromSettings(config.settings);
    ctx.hostGate = new HostGate(config.settings.feeds.per_host_concurrency, config.settings.feeds.per_host_gap);
    ctx.state = createPipelineState(redis, config);
    for (const key of RESTART_ONLY_SETTINGS) {
      if (JSON.stringify(config.settings[key]) !== JSON.stringify(settings[key])) {
        log.warn({ setting: key }, `settings.yaml "${key}" changed: it applies when newswatch restarts`);
      }
    }
    if (!roles.has('deliver')) return;
    const old = channels;
    channels = new ChannelRegistry(config.channels, channelHttp(config.settings));
    // In-flight deliveries may still hold the old channels (and their SMTP pools) for a moment.
    setTimeout(() => void old.close(), 30_000).unref();
  });

  const workers: Worker[] = [];
  if (roles.has('fetch')) workers.push(createFetchWorker(ctx));
  if (roles.has('match')) workers.push(createMatchWorker(ctx));
  if (roles.has('deliver')) workers.push(...createDispatchWorkers(ctx), createDeliveryWorker(ctx));
  for (const w of workers) w.on('error', (err) => log.warn({ queue: w.name, err: err.message }, 'worker error'));

  const scheduler = roles.has('scheduler') ? new FeedScheduler(() => watcher.current.feeds, queues.fetch, log) : undefined;
  scheduler?.start();
  const syncFlushes = (config: Config) =>
    syncFlushSchedules(queues.digests, config, ctx.state.pacing, log).catch((err: Error) => log.warn({ err: err.message }, 'cannot update digest schedules; will try on the next config change'));
  if (scheduler) {
    await syncFlushes(loaded.config);
    watcher.onChange((config) => void syncFlushes(config));
  }
  if (opts.watchConfig !== false) watcher.start();

  log.info(
    { roles: [...roles], redis: describeRedis(redisTarget), prefix, feeds: loaded.config.feeds.length, rules: loaded.config.ruleSet.size },
    'newswatch started',
  );

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log.info('stopping: finishing in-flight jobs');
      watcher.stop();
      await scheduler?.stop();
      const closed = Promise.all(workers.map((w) => w.close()));
      const timedOut = await Promise.race([closed.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), SHUTDOWN_GRACE_MS).unref())]);
      if (timedOut) {
        log.warn('in-flight jobs did not finish in time; they will be picked up again by another worker');
        await Promise.all(workers.map((w) => w.close(true)));
      }
      await closeQueues(queues);
      for (const connection of workerConnections) connection.disconnect();
      await channels.close();
      await redis.quit().catch(() => redis.disconnect());
      if (redisTarget.kind === 'url') await stopManaged(redisTarget.managed);
      log.info('stopped');
    })());

  return { redis: redisTarget, config: () => watcher.current, reloadConfig: () => watcher.reload(), stop };
}

/** Each config generation's channels get their own dispatcher, so a changed network.deny_private applies on reload. */
function channelHttp(settings: Settings): HttpOptions {
  return { timeoutMs: settings.delivery.timeout, dispatcher: createDispatcher({ denyPrivate: settings.network.deny_private }) };
}

async function stopManaged(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
}
