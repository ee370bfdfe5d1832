#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { checkConfigCommand } from './check-config.js';
import { dryRunCommand } from './dry-run.js';
import { EXIT } from './exit-codes.js';
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

main().catch((err: Error) => {
  process.stderr.write(`newswatch: ${err.stack ?? err.message}\n`);
  process.exitCode = EXIT.error;
});
