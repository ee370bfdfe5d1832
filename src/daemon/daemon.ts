import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { ChannelRegistry } from '../alerts/channels/index.js';
import type { ChannelEnv } from '../alerts/channels/channel.js';
import type { Settings } from '../config/schema.js';
import { createDispatcher } from '../net/dispatcher.js';
import { ConfigWatcher, configFingerprint, type ReloadResult, type ReloadTrigger } from '../config/config-watcher.js';
import { formatProblem, loadConfig, type Config, type ConfigProblem } from '../config/load.js';
import { fetcherFromSettings } from '../feeds/fetch-once.js';
import { hostGateFromSettings } from '../feeds/fetch/host-gate.js';
import { logsArePretty, type Logger } from '../log/logger.js';
import { createPipelineState, type PipelineContext } from '../pipeline/context.js';
import { RedisAvailability } from '../queues/redis-availability.js';
import {
  clientConnection,
  describeRedis,
  stateConnection,
  warnOnEvictionPolicy,
  workerConnection,
  type RedisTarget,
} from '../queues/connection.js';
import { resolveRedis } from '../queues/redis-startup.js';
import { reportFailedJobs } from '../queues/failed-jobs.js';
import { jobLockOptions } from '../queues/job-locks.js';
import { allQueueJobCounts, closeQueues, createQueues } from '../queues/queues.js';
import { NewswatchMetrics } from '../metrics/metrics.js';
import { VERSION } from '../version.js';
import { startOperatorHttp, type OperatorSources } from './operator-http.js';
import { FeedScheduler } from '../schedule/feed-scheduler.js';
import type { StatusSnapshot } from '../status/snapshot.js';
import { StatusReader } from '../status/status-reader.js';
import { Housekeeping } from './housekeeping.js';
import { syncFlushSchedules } from '../schedule/flush-scheduler.js';
import { createDeliveryWorker } from '../workers/deliver-worker.js';
import { createDispatchWorkers } from '../workers/dispatch-worker.js';
import { createFetchWorker } from '../workers/fetch-worker.js';
import { createMatchWorker } from '../workers/match-worker.js';

export const ROLES = ['scheduler', 'fetch', 'match', 'deliver'] as const;
export type Role = (typeof ROLES)[number];

export interface DaemonOptions {
  configDir: string;
  roles?: readonly Role[];
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Where outputs go (a managed redis-server's data, file channels); default NEWSWATCH_DATA or ./data. */
  dataDir?: string;
  /** The address tried when neither REDIS_URL nor settings name one (tests point it elsewhere). */
  defaultRedisUrl?: string;
  /** Whether to watch the config directory for edits. */
  watchConfig?: boolean;
  /** HOST:PORT for the operator endpoints, or `off`; overrides settings.yaml `http.listen` (tests use 127.0.0.1:0). */
  http?: string;
  /** Aborting it while newswatch waits for Redis ends the start with StartAbortedError. */
  signal?: AbortSignal;
  /** Set the logger's level from settings.yaml `log.level`, at start and on each reload, unless LOG_LEVEL is set. */
  followLogLevel?: boolean;
}

export interface Daemon {
  readonly redis: RedisTarget;
  readonly metrics: NewswatchMetrics;
  /** Where the operator endpoints listen (HOST:PORT), undefined when `http.listen` is off. */
  readonly httpAddress: string | undefined;
  /** Redis memory watch (readiness and metrics read it) and the bounded-retention sweeps. */
  readonly housekeeping: Housekeeping;
  config(): Config;
  /** Applies the config directory now (whether or not it changed); says whether it was valid, and what is wrong if not. */
  reloadConfig(trigger?: ReloadTrigger): Promise<ReloadResult>;
  /** The config generation running: 1 at start, +1 per applied reload. */
  configGeneration(): number;
  /** The last reload (file edit, SIGHUP, API), applied or rejected; undefined before the first. */
  lastReload(): ReloadResult | undefined;
  /** Told after every reload, applied or rejected (for metrics). */
  onReload(listener: (result: ReloadResult) => void): void;
  /** The whole deployment's state from Redis (what `newswatch status` prints), read through this process's connection. */
  status(): Promise<StatusSnapshot>;
  stop(): Promise<void>;
}

export class ConfigInvalidError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid config:\n${problems.map(formatProblem).join('\n')}`);
  }
}

const SHUTDOWN_GRACE_MS = 8_000;

/** Settings the running workers and connections were built with; everything else follows reloads. */
const RESTART_ONLY_SETTINGS = ['redis', 'concurrency', 'workers', 'http'] as const;

/** Starts the roles asked for against one Redis; everything stops cleanly through `stop()`. */
export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const env = opts.env ?? process.env;
  const roles = new Set(opts.roles ?? ROLES);
  const log = opts.log;
  // Hashed before reading: an edit landing in between is then seen as a change, never lost.
  const fingerprint = configFingerprint(resolve(opts.configDir));
  const loaded = loadConfig(resolve(opts.configDir), env, { dataDir: opts.dataDir });
  if (!loaded.ok) throw new ConfigInvalidError(loaded.errors);
  const watcher = new ConfigWatcher(loaded.config, log, env, { fingerprint });
  if (opts.followLogLevel && !env.LOG_LEVEL) {
    log.level = loaded.config.settings.log.level;
    watcher.onChange((config) => (log.level = config.settings.log.level));
  }
  for (const w of loaded.config.warnings) log.warn({ file: w.file, line: w.line }, formatProblem(w));
  const { settings } = loaded.config;
  if (roles.has('deliver') && !logsArePretty() && loaded.config.channels.some((c) => c.type === 'console')) {
    log.info('console channel: alerts go to stderr, since stdout carries JSON log lines');
  }

  const metrics = new NewswatchMetrics({
    version: VERSION,
    onError: (err) => log.debug({ err: err.message }, 'metrics: could not record or read a value'),
  });
  metrics.configApplied(true, false);
  watcher.onReload((result) => metrics.configApplied(result.ok, true, result.at));
  // The listener starts before Redis answers, so supervisors see the process live but not ready.
  let running: ReturnType<OperatorSources['running']>;
  const http = await startOperatorHttp(opts.http ?? settings.http.listen, settings, {
    watcher,
    metrics,
    roles: [...roles],
    log,
    running: () => running,
  });

  // Workers start only once Redis answers: waiting is a few log lines, not a flood of worker errors.
  const redisTarget = await resolveRedis({
    settings: settings.redis,
    env,
    defaultUrl: opts.defaultRedisUrl,
    dataDir: loaded.config.dataDir,
    log,
    signal: opts.signal,
  }).catch(async (err: unknown) => {
    await http?.close();
    throw err;
  });
  const redis = clientConnection(redisTarget);
  const availability = new RedisAvailability(describeRedis(redisTarget), log);
  availability.watch(redis);
  let redisError: string | undefined;
  redis.on('error', (err) => (redisError = err.message));
  redis.on('ready', () => (redisError = undefined));
  await warnOnEvictionPolicy(redis, log);
  const stateRedis = stateConnection(redisTarget);
  // Its connection errors are part of the outage the shared connection reports; any other error of its own
  // (maxclients, a failover it follows differently) gets a line, as a worker connection's would.
  stateRedis.on('error', (err) => availability.workerError('state', err));

  const prefix = settings.redis.prefix;
  // BullMQ does not close connections it is handed: the daemon closes its workers' own.
  const workerConnections: Redis[] = [];
  const trackConnection = (connection: Redis) => {
    // Workers report connection trouble themselves (to RedisAvailability); this only keeps ioredis from printing stacks.
    connection.on('error', () => {});
    workerConnections.push(connection);
    return connection;
  };
  const queues = createQueues(redis, prefix);
  metrics.readQueueJobCountsFrom(() => allQueueJobCounts(queues));
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
      ...jobLockOptions(settings.workers),
      // After a Redis outage, poll for work again within 2 s rather than BullMQ's default 15 s.
      runRetryDelay: 2_000,
    }),
    prefix,
    state: createPipelineState(stateRedis, loaded.config),
    fetcher: fetcherFromSettings(settings),
    hostGate: hostGateFromSettings(redis, settings),
    log,
    metrics,
  };

  watcher.onChange((config) => {
    // Settings apply on reload too: the fetcher, host limits and state TTLs are rebuilt from them.
    ctx.fetcher = fetcherFromSettings(config.settings);
    ctx.hostGate = hostGateFromSettings(redis, config.settings);
    ctx.state = createPipelineState(stateRedis, config);
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
  if (roles.has('match')) workers.push(createMatchWorker(ctx, roles.has('deliver') ? 'dispatch' : 'queue'));
  if (roles.has('deliver')) workers.push(...createDispatchWorkers(ctx), createDeliveryWorker(ctx));
  for (const w of workers) {
    w.on('error', (err) => availability.workerError(w.name, err));
    reportFailedJobs(w, log, (failure) => metrics.jobFailed(failure.queue, failure.final));
  }

  const scheduler = roles.has('scheduler')
    ? new FeedScheduler(
        () => watcher.current.feeds,
        queues.fetch,
        log,
        (ids) => ctx.state.feeds.claimedSlots(ids),
        () => watcher.current.settings.feeds.per_host_gap,
      )
    : undefined;
  scheduler?.start();
  const syncFlushes = (config: Config) =>
    syncFlushSchedules(queues.digests, config, ctx.state.pacing, log).catch((err: Error) =>
      log.warn({ err: err.message }, 'cannot update digest schedules; will try on the next config change'),
    );
  if (scheduler) {
    await syncFlushes(loaded.config);
    watcher.onChange((config) => void syncFlushes(config));
  }
  if (opts.watchConfig !== false) watcher.start();
  const housekeeping = new Housekeeping(redis, { queues, config: () => watcher.current, log, sweeps: roles.has('scheduler'), metrics });
  housekeeping.start();
  let stopping: Promise<void> | undefined;
  const statusReader = new StatusReader(redis, describeRedis(redisTarget), prefix, queues);
  running = {
    readiness: {
      redis,
      redisError: () => redisError,
      workers,
      scheduler,
      stopping: () => stopping !== undefined,
      redisMemory: () => housekeeping.memory.latest(),
    },
    status: () => statusReader.read(watcher.current),
    queues,
  };

  log.info(
    { roles: [...roles], redis: describeRedis(redisTarget), prefix, feeds: loaded.config.feeds.length, rules: loaded.config.ruleSet.size },
    'newswatch started',
  );

  const stop = () =>
    (stopping ??= (async () => {
      log.info('stopping: finishing in-flight jobs');
      watcher.stop();
      availability.close();
      await scheduler?.stop();
      await housekeeping.stop();
      const closed = Promise.all(workers.map((w) => w.close()));
      const timedOut = await Promise.race([
        closed.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), SHUTDOWN_GRACE_MS).unref()),
      ]);
      if (timedOut) {
        log.warn('in-flight jobs did not finish in time; they will be picked up again by another worker');
        await Promise.all(workers.map((w) => w.close(true)));
      }
      await closeQueues(queues);
      for (const connection of workerConnections) connection.disconnect();
      await channels.close();
      await stateRedis.quit().catch(() => stateRedis.disconnect());
      await redis.quit().catch(() => redis.disconnect());
      if (redisTarget.kind === 'url') await stopManaged(redisTarget.managed);
      await http?.close();
      log.info('stopped');
    })());

  return {
    redis: redisTarget,
    metrics,
    httpAddress: http?.address,
    housekeeping,
    config: () => watcher.current,
    reloadConfig: (trigger) => watcher.reload(trigger),
    configGeneration: () => watcher.generation,
    lastReload: () => watcher.lastReload,
    onReload: (listener) => watcher.onReload(listener),
    status: () => statusReader.read(watcher.current),
    stop,
  };
}

/** Each config generation's channels get their own dispatcher, so a changed network.deny_private applies on reload. */
function channelHttp(settings: Settings): ChannelEnv {
  return {
    timeoutMs: settings.delivery.timeout,
    dispatcher: createDispatcher({ denyPrivate: settings.network.deny_private }),
    view: { timezone: settings.alerts.timezone, publicUrl: settings.http.public_url, now: () => new Date() },
  };
}

async function stopManaged(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
}
