import { ConfigInvalidError, ROLES, startDaemon, type Role } from '../daemon/daemon.js';
import { createLogger } from '../log/logger.js';
import { RedisUnavailableError } from '../queues/connection.js';
import { formatProblem } from '../config/load.js';
import { configDir } from './config-dir.js';
import { EXIT } from './exit-codes.js';

export function parseRoles(text: string | undefined): Role[] {
  if (!text) return [...ROLES];
  const roles = text.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) throw new Error(`unknown role(s) ${unknown.join(', ')}: choose from ${ROLES.join(', ')}`);
  return roles as Role[];
}

/** Runs until SIGTERM/SIGINT; resolves with the exit code. */
export async function startCommand(opts: { config?: string; role?: string }): Promise<number> {
  const log = createLogger();
  let daemon;
  try {
    daemon = await startDaemon({ configDir: configDir(opts.config), roles: parseRoles(opts.role), log });
  } catch (err) {
    if (err instanceof ConfigInvalidError) {
      for (const p of err.problems) log.error({ file: p.file, line: p.line }, formatProblem(p));
      log.error(`invalid config in ${configDir(opts.config)}: fix the problems above (newswatch check-config shows them too)`);
      return EXIT.negative;
    }
    if (err instanceof RedisUnavailableError) {
      log.error(err.message);
      return EXIT.error;
    }
    throw err;
  }
  const running = daemon;
  return new Promise((resolve) => {
    const shutdown = (signal: string) => {
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
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}
