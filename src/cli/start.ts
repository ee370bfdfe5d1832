import { ConfigInvalidError, ROLES, startDaemon, type Daemon, type Role } from '../daemon/daemon.js';
import { createLogger, LogLevelError, type Logger } from '../log/logger.js';
import { RedisUnavailableError, StartAbortedError } from '../queues/redis-startup.js';
import { formatProblem } from '../config/load.js';
import { HttpListenError } from '../http/server.js';
import { configDir } from './config-dir.js';
import { EXIT } from './exit-codes.js';

export class RoleError extends Error {}

/** `--role` as given: absent means every role; given, it must name at least one known role. */
export function parseRoles(text: string | undefined): Role[] {
  if (text === undefined) return [...ROLES];
  const roles = text
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (roles.length === 0)
    throw new RoleError(`--role "${text}" names no role: give one or more of ${ROLES.join(', ')} (or leave --role out to run them all)`);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0)
    throw new RoleError(
      `unknown role${unknown.length > 1 ? 's' : ''} ${unknown.map((r) => `"${r}"`).join(', ')} in --role: the roles are ${ROLES.join(', ')}`,
    );
  return roles as Role[];
}

/** Runs until SIGTERM/SIGINT; resolves with the exit code. */
export async function startCommand(opts: { config?: string; role?: string; http?: string; dataDir?: string }): Promise<number> {
  let log: Logger;
  let roles: Role[];
  try {
    roles = parseRoles(opts.role);
    log = createLogger();
  } catch (err) {
    if (!(err instanceof LogLevelError || err instanceof RoleError)) throw err;
    process.stderr.write(`newswatch start: ${err.message}\n`);
    return EXIT.error;
  }
  // Signals are handled from the first moment: SIGHUP reloads (like Prometheus and nginx) and never
  // exits; SIGTERM/SIGINT while waiting for Redis end the wait, so nothing (no managed redis-server) stays behind.
  let daemon: Daemon | undefined;
  let reloadWhenStarted = false;
  let stopRequested: ((signal: string) => void) | undefined;
  const starting = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGHUP') {
      if (daemon) void daemon.reloadConfig('signal');
      else reloadWhenStarted = true;
      return;
    }
    if (stopRequested) return stopRequested(signal);
    log.info({ signal }, 'shutdown requested while starting');
    starting.abort();
  };
  for (const signal of ['SIGHUP', 'SIGTERM', 'SIGINT'] as const) process.on(signal, onSignal);
  try {
    daemon = await startDaemon({
      configDir: configDir(opts.config),
      dataDir: opts.dataDir,
      roles,
      log,
      http: opts.http,
      signal: starting.signal,
      followLogLevel: true,
    });
  } catch (err) {
    if (err instanceof ConfigInvalidError) {
      for (const p of err.problems) log.error({ file: p.file, line: p.line }, formatProblem(p));
      log.error(`invalid config in ${configDir(opts.config)}: fix the problems above (newswatch check-config shows them too)`);
      return EXIT.negative;
    }
    if (err instanceof StartAbortedError) {
      log.info('stopped');
      return EXIT.ok;
    }
    if (err instanceof RedisUnavailableError || err instanceof HttpListenError) {
      log.error(err.message);
      return EXIT.error;
    }
    throw err;
  }
  const running = daemon;
  if (reloadWhenStarted) void running.reloadConfig('signal');
  return new Promise((resolve) => {
    let stopping = false;
    stopRequested = (signal) => {
      // A second SIGTERM while stopping changes nothing.
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutdown requested');
      const force = setTimeout(() => {
        log.error('shutdown took longer than 10 s: exiting anyway');
        resolve(EXIT.error);
      }, 10_000);
      force.unref();
      void running.stop().then(() => {
        clearTimeout(force);
        resolve(EXIT.ok);
      });
    };
  });
}
