import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const CLI = resolve('src/cli/main.ts');
// Named by path, so the CLI also runs from another working directory (one with its own ./data).
const TSX = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

export interface RunningCli {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `newswatch <args>` as its own process (JSON logs), as an operator or a supervisor would. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, opts: { cwd?: string } = {}): RunningCli {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, NEWSWATCH_LOG_JSON: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  return { child, output: () => out, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
}
