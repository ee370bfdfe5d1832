import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { CommandOutcome } from './capture-output.js';

const REPO = resolve(import.meta.dirname, '../..');

/** Runs the real CLI in a child process, as an operator would. An `env` value of undefined unsets that variable. */
/** `as` runs it as another user (root only). */
export function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
  as: { uid?: number; gid?: number } = {},
): Promise<CommandOutcome> {
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: REPO, env: merged, ...as });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code: code ?? -1, out, err }));
  });
}
