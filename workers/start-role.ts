import { parseArgs } from 'node:util';
import { startCommand } from '../src/cli/start.js';
import type { Role } from '../src/daemon/daemon.js';

/**
 * Runs one role of the daemon in this process: `node dist/workers/<role>.js [--config DIR] [--http HOST:PORT|off]`
 * is `newswatch start --role <role>`. The workers themselves live in src/workers/.
 */
export async function startRole(role: Role): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, http: { type: 'string' } } });
  process.exitCode = await startCommand({ role, config: values.config, http: values.http });
}
