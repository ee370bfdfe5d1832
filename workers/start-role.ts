import { runCommand } from '../src/cli/commands.js';
import { runNewswatch } from '../src/cli/program.js';
import type { Role } from '../src/daemon/daemon.js';

/**
 * Runs one role of the daemon in this process: `node dist/workers/<role>.js [options]` is
 * `newswatch start --role <role> [options]`, through the same command line (options, environment
 * variables, messages and exit codes). The workers themselves live in src/workers/.
 */
export async function startRole(role: Role): Promise<void> {
  process.exitCode = await runNewswatch(['start', '--role', role, ...process.argv.slice(2)], runCommand);
}
