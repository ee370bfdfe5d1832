#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { alertsCommand, replayCommand } from './alerts.js';
import { checkConfigCommand } from './check-config.js';
import { dryRunCommand } from './dry-run.js';
import { EXIT } from './exit-codes.js';
import { feedsExportCommand, feedsImportCommand, feedsTableCommand } from './feeds.js';
import { fetchCommand } from './fetch.js';
import { startCommand } from './start.js';
import { testRuleCommand } from './test-rule.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(run: (code: Promise<number> | number) => void): Command {
  const program = new Command('newswatch')
    .description('Watches news feeds and alerts when articles match your watch rules.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const configOption = () => new Option('--config <dir>', 'config directory (default: $NEWSWATCH_CONFIG or ./config)');

  program
    .command('start')
    .description('run the daemon (all roles unless --role is given)')
    .addOption(configOption())
    .option('--role <roles>', 'comma-separated roles to run: scheduler,fetch,match,deliver')
    .action((opts) => run(startCommand(opts)));

  program
    .command('check-config')
    .description('validate the config and print every problem (exit 0 valid, 1 invalid)')
    .addOption(configOption())
    .action((opts) => run(checkConfigCommand(opts)));

  program
    .command('dry-run')
    .description('fetch feeds once, match, and print what would alert; sends nothing, needs no Redis')
    .addOption(configOption())
    .option('--feed <urlOrPath>', 'fetch this feed instead of the configured ones (repeatable)', collect)
    .option('--json', 'print JSON lines')
    .action((opts) => run(dryRunCommand(opts)));

  program
    .command('test-rule')
    .description('test a query or a configured rule against articles (exit 0 matched, 1 no match, 2 error)')
    .option('--query <query>', 'a query to test')
    .option('--rule <id>', 'a rule from the config')
    .addOption(configOption())
    .option('--article <file>', 'a JSON article or a text file (first line is the title)')
    .option('--text <text>', 'text to test (first line is the title)')
    .option('--feed <urlOrPath>', 'every article of a feed')
    .option('--json', 'print JSON lines')
    .action((opts) => run(testRuleCommand(opts)));

  // Operator tools for feeds. --config is declared on `feeds` and on each subcommand (for --help), but
  // commander hands it to `feeds` wherever it stands, so the subcommands read optsWithGlobals().
  const feeds = program
    .command('feeds')
    .description('list every configured feed with its health from Redis (last fetch, status, items, next due)')
    .addOption(configOption())
    .option('--json', 'print a JSON array')
    .action((opts) => run(feedsTableCommand(opts)));
  feeds
    .command('import')
    .description('append the feeds of an OPML file to feeds.yaml (ids from titles, categories as tags)')
    .argument('<file>', 'an OPML 1.0 or 2.0 file')
    .addOption(configOption())
    .option('--dry-run', 'print the YAML that would be added; write nothing')
    .action((file: string, _opts, cmd: Command) => run(feedsImportCommand(file, cmd.optsWithGlobals())));
  feeds
    .command('export')
    .description('print the configured feeds as OPML 2.0')
    .addOption(configOption())
    .action((_opts, cmd: Command) => run(feedsExportCommand(cmd.optsWithGlobals())));

  program
    .command('fetch')
    .description('fetch one feed once and print its parsed articles; no Redis (exit 2 if it cannot be fetched or parsed)')
    .argument('<feedIdOrUrl>', 'a feed id from feeds.yaml, a URL or a file')
    .addOption(configOption())
    .option('--json', 'print JSON')
    .action((target: string, opts) => run(fetchCommand(target, opts)));

  const alerts = program
    .command('alerts')
    .description('recent alerts with their deliveries, from the alert history in Redis')
    .addOption(configOption())
    .option('--rule <id>', 'only this rule')
    .option('--since <duration>', 'how far back (e.g. 2h, 7d)', '24h')
    .option('--failed', 'only alerts with a failed delivery')
    .option('--json', 'print JSON')
    .action((opts) => run(alertsCommand(opts)));
  alerts
    .command('replay [id]')
    .description('deliver again with the same webhook-id: one alert (or delivery) id, or every failed delivery')
    .addOption(configOption())
    .option('--failed', 'every delivery in the failed set')
    .action((id, opts) => run(replayCommand(id, opts)));

  return program;
}

async function main(): Promise<void> {
  let pending: Promise<number> | number = EXIT.ok;
  const program = buildProgram((code) => {
    pending = code;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.error;
      return;
    }
    throw err;
  }
  process.exitCode = await pending;
}

// `newswatch ... | head` closes stdout early: stop quietly, as other command-line tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main().catch((err: Error) => {
  process.stderr.write(`newswatch: ${err.stack ?? err.message}\n`);
  process.exitCode = EXIT.error;
});
