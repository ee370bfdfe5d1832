#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { alertsCommand, replayCommand } from './alerts.js';
import { checkConfigCommand } from './check-config.js';
import { dryRunCommand } from './dry-run.js';
import { EXIT } from './exit-codes.js';
import { feedsExportCommand, feedsImportCommand, feedsTableCommand } from './feeds.js';
import { fetchCommand } from './fetch.js';
import { jobsListCommand, jobsRetryCommand } from './jobs.js';
import { previewCommand } from './preview.js';
import { startCommand } from './start.js';
import { statusCommand } from './status.js';
import { testRuleCommand } from './test-rule.js';
import { VERSION } from '../version.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(run: (code: Promise<number> | number) => void): Command {
  const program = new Command('newswatch')
    .description('Watches news feeds and alerts when articles match your watch rules.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const configOption = () => new Option('--config <dir>', 'config directory (default: $NEWSWATCH_CONFIG or ./config)');

  program
    .command('start')
    .description('run the daemon (all roles unless --role is given)')
    .addOption(configOption())
    .option('--role <roles>', 'comma-separated roles to run: scheduler,fetch,match,deliver')
    .addOption(new Option('--http <host:port>', 'serve /healthz, /readyz, /metrics, /-/reload and the status page here, or "off" (default: http.listen in settings.yaml, 127.0.0.1:9464)').env('NEWSWATCH_HTTP'))
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

  program
    .command('preview')
    .description("render what each channel would send for a matching article, without sending (email as HTML, chat payloads as JSON)")
    .addOption(configOption())
    .option('--rule <id>', 'only this rule (default: every enabled rule)')
    .option('--channel <id>', "only this channel (default: each rule's channels)")
    .option('--article <file>', 'a JSON article or a text file (first line is the title)')
    .option('--feed <urlOrPath>', 'the first matching article of a feed')
    .option('--out <dir>', 'where to write the renderings (default: ./newswatch-preview)')
    .action((opts) => run(previewCommand(opts)));

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

  program
    .command('status')
    .description('the whole deployment from Redis: queues, feeds, failing deliveries, last alerts (exit 0 healthy, 1 degraded, 2 no Redis)')
    .addOption(configOption())
    .option('--json', 'print the snapshot as JSON')
    .action((opts) => run(statusCommand(opts)));

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
    // `alerts` declares --config and --failed too and commander hands them to it: read both levels.
    .action((id: string | undefined, _opts, cmd: Command) => run(replayCommand(id, cmd.optsWithGlobals())));

  const queueOption = () => new Option('--queue <name>', 'a queue: articles, alerts, deliveries, digests or fetch (repeatable; default all but fetch)').argParser(collect);
  const jobs = program
    .command('jobs')
    .description('failed jobs of the pipeline queues, with the reason each one failed')
    .addOption(configOption())
    .addOption(queueOption())
    .option('--json', 'print a JSON array')
    .action((opts) => run(jobsListCommand(opts)));
  jobs
    .command('retry')
    .description('run failed jobs again (attempts reset, same job ids: nothing alerts twice); exit 1 if there were none')
    .addOption(configOption())
    .addOption(queueOption())
    .action((_opts, cmd: Command) => run(jobsRetryCommand(cmd.optsWithGlobals())));

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
