#!/usr/bin/env node
import { runCommand } from './commands.js';
import { runNewswatch } from './program.js';

// `newswatch ... | head` closes stdout early: stop quietly, as other command-line tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await runNewswatch(process.argv.slice(2), runCommand);
