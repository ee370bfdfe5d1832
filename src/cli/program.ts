import { Command, CommanderError, Option, type OptionValues } from 'commander';
import { EXIT } from './exit-codes.js';
import { VERSION } from '../version.js';

/** A parsed command line: which command (`alerts replay`), its arguments and its options from every level. */
export interface Invocation {
  command: string;
  args: string[];
  opts: OptionValues;
}

/** Runs a parsed command line; the real one imports the command's module only then (src/cli/commands.ts). */
export type Invoker = (call: Invocation) => Promise<number> | number;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Every command and option of `newswatch`, and nothing else: no command module is imported here, so
 * `newswatch check-config` does not load BullMQ, undici or nodemailer.
 */
export function buildProgram(invoke: Invoker, report: (code: Promise<number> | number) => void): Command {
  const program = new Command('newswatch')
    .description('Watches news feeds and alerts when articles match your watch rules.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  const configOption = () => new Option('--config <dir>', 'config directory (default: $NEWSWATCH_CONFIG or ./config)');

  // Commander hands an option declared on a parent (--config on `alerts`) to the parent wherever it
  // stands on the line, so every action reads the options of all levels: `alerts replay ID --config DIR`
  // and `alerts --config DIR replay ID` mean the same.
  const act = (cmd: Command) =>
    cmd.action((...params: unknown[]) => {
      const self = params.at(-1) as Command;
      const args = params.slice(0, self.registeredArguments.length).filter((a): a is string => typeof a === 'string');
      const names = [];
      for (let c: Command | null = self; c && c !== program; c = c.parent) names.unshift(c.name());
      report(invoke({ command: names.join(' '), args, opts: self.optsWithGlobals() }));
    });

  act(
    program
      .command('start')
      .description('run the daemon (all roles unless --role is given)')
      .addOption(configOption())
      .option('--role <roles>', 'comma-separated roles to run: scheduler,fetch,match,deliver')
      .addOption(
        new Option('--data-dir <dir>', 'where outputs are written: file channels, a managed Redis (default: $NEWSWATCH_DATA or ./data)'),
      )
      .addOption(
        new Option(
          '--http <host:port>',
          'serve /healthz, /readyz, /metrics, /-/reload and the status page here, or "off" (default: http.listen in settings.yaml, 127.0.0.1:9464)',
        ).env('NEWSWATCH_HTTP'),
      ),
  );

  act(
    program
      .command('check-config')
      .description('validate the config and print every problem (exit 0 valid, 1 invalid)')
      .addOption(configOption()),
  );

  act(
    program
      .command('dry-run')
      .description(
        'fetch feeds once, match, and print what would alert; sends nothing, needs no Redis (exit 0 something would alert, 1 nothing, 2 no feed could be fetched)',
      )
      .addOption(configOption())
      .option('--feed <urlOrPath>', 'fetch this feed instead of the configured ones (repeatable)', collect)
      .option('--json', 'print JSON lines'),
  );

  act(
    program
      .command('test-rule')
      .description('test a query or a configured rule against articles (exit 0 matched, 1 no match, 2 error)')
      .option('--query <query>', 'a query to test')
      .option('--rule <id>', 'a rule from the config')
      .addOption(
        new Option(
          '--config <dir>',
          'config directory, read for --rule and for term sets (@name) in --query (default: $NEWSWATCH_CONFIG or ./config)',
        ),
      )
      .option('--article <file>', 'a JSON article or a text file (first line is the title)')
      .option('--text <text>', 'text to test (first line is the title)')
      .option('--feed <urlOrPath>', 'every article of a feed')
      .option('--json', 'print JSON lines'),
  );

  act(
    program
      .command('preview')
      .description('render what each channel would send for a matching article, without sending (email as HTML, chat payloads as JSON)')
      .addOption(configOption())
      .option('--rule <id>', 'only this rule (default: every enabled rule)')
      .option('--channel <id>', "only this channel (default: each rule's channels)")
      .option('--article <file>', 'a JSON article or a text file (first line is the title)')
      .option('--feed <urlOrPath>', 'the first matching article of a feed')
      .option('--out <dir>', 'where to write the renderings (default: ./newswatch-preview)'),
  );

  const feeds = act(
    program
      .command('feeds')
      .description('list every configured feed with its health from Redis (last fetch, status, items, next due)')
      .addOption(configOption())
      .option('--json', 'print a JSON array'),
  );
  act(
    feeds
      .command('import')
      .description('append the feeds of an OPML file to feeds.yaml (ids from titles, categories as tags)')
      .argument('<file>', 'an OPML 1.0 or 2.0 file')
      .addOption(configOption())
      .option('--dry-run', 'print the YAML that would be added; write nothing'),
  );
  act(feeds.command('export').description('print the configured feeds as OPML 2.0').addOption(configOption()));

  act(
    program
      .command('fetch')
      .description('fetch one feed once and print its parsed articles; no Redis (exit 2 if it cannot be fetched or parsed)')
      .argument('<feedIdOrUrl>', 'a feed id from feeds.yaml, a URL or a file')
      .addOption(configOption())
      .option('--json', 'print JSON'),
  );

  act(
    program
      .command('status')
      .description(
        'the whole deployment from Redis: queues, feeds, failing deliveries, last alerts (exit 0 healthy, 1 degraded, 2 no Redis)',
      )
      .addOption(configOption())
      .option('--json', 'print the snapshot as JSON'),
  );

  const alerts = act(
    program
      .command('alerts')
      .description('recent alerts with their deliveries, from the alert history in Redis')
      .addOption(configOption())
      .option('--rule <id>', 'only this rule')
      .option('--since <duration>', 'how far back (e.g. 2h, 7d)', '24h')
      .option('--failed', 'only alerts with a failed delivery')
      .option('--json', 'print JSON'),
  );
  act(
    alerts
      .command('replay')
      .argument('[id]', 'an alert id or a delivery id')
      .description('deliver again with the same webhook-id: one alert (or delivery) id, or every failed delivery')
      .addOption(configOption())
      .option('--failed', 'every delivery in the failed set'),
  );

  const queueOption = () =>
    new Option('--queue <name>', 'a queue: articles, alerts, deliveries, digests or fetch (repeatable; default all but fetch)').argParser(
      collect,
    );
  const jobs = act(
    program
      .command('jobs')
      .description('failed jobs of the pipeline queues, with the reason each one failed')
      .addOption(configOption())
      .addOption(queueOption())
      .option('--json', 'print a JSON array'),
  );
  act(
    jobs
      .command('retry')
      .description('run failed jobs again (attempts reset, same job ids: nothing alerts twice); exit 1 if there were none')
      .addOption(configOption())
      .addOption(queueOption()),
  );

  return program;
}

/**
 * `newswatch ARGS...` in this process: parses, runs the command and resolves with its exit code.
 * Whatever goes wrong ends as a message on stderr and exit 2, never as a stack trace (NEWSWATCH_DEBUG=1
 * prints the stack of an unexpected error).
 */
export async function runNewswatch(args: readonly string[], invoke: Invoker): Promise<number> {
  let pending: Promise<number> | number | undefined;
  const program = buildProgram(invoke, (code) => (pending = code));
  try {
    await program.parseAsync([...args], { from: 'user' });
    return (await pending) ?? EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    const command = args.find((a) => !a.startsWith('-'));
    const { message, stack } = err instanceof Error ? err : new Error(String(err));
    process.stderr.write(`newswatch${command ? ` ${command}` : ''}: ${process.env.NEWSWATCH_DEBUG ? stack : message}\n`);
    return EXIT.error;
  }
}
