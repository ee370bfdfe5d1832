import type { Invocation } from './program.js';

/**
 * What each command line runs. Each command's module (and with it BullMQ, undici, nodemailer...) is
 * imported only when that command runs: a CLI start pays for the one command it was asked for.
 */
const COMMANDS: Record<string, (call: Invocation) => Promise<number>> = {
  start: async ({ opts }) => (await import('./start.js')).startCommand(opts),
  'check-config': async ({ opts }) => (await import('./check-config.js')).checkConfigCommand(opts),
  'dry-run': async ({ opts }) => (await import('./dry-run.js')).dryRunCommand(opts),
  'test-rule': async ({ opts }) => (await import('./test-rule.js')).testRuleCommand(opts),
  preview: async ({ opts }) => (await import('./preview.js')).previewCommand(opts),
  feeds: async ({ opts }) => (await import('./feeds.js')).feedsTableCommand(opts),
  'feeds import': async ({ args, opts }) => (await import('./feeds.js')).feedsImportCommand(args[0]!, opts),
  'feeds export': async ({ opts }) => (await import('./feeds.js')).feedsExportCommand(opts),
  fetch: async ({ args, opts }) => (await import('./fetch.js')).fetchCommand(args[0]!, opts),
  status: async ({ opts }) => (await import('./status.js')).statusCommand(opts),
  alerts: async ({ opts }) => (await import('./alerts.js')).alertsCommand(opts),
  'alerts replay': async ({ args, opts }) => (await import('./alerts.js')).replayCommand(args[0], opts),
  jobs: async ({ opts }) => (await import('./jobs.js')).jobsListCommand(opts),
  'jobs retry': async ({ opts }) => (await import('./jobs.js')).jobsRetryCommand(opts),
};

/** The real invoker: runs the command a command line names. */
export function runCommand(call: Invocation): Promise<number> {
  const command = COMMANDS[call.command];
  if (!command) throw new Error(`no implementation for "${call.command}"`);
  return command(call);
}
