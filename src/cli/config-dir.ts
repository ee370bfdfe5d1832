import { resolve } from 'node:path';
import { formatProblem, loadConfig, type Config } from '../config/load.js';

export function configDir(option?: string): string {
  return resolve(option ?? process.env.NEWSWATCH_CONFIG ?? 'config');
}

/**
 * Loads the config for a one-shot command, printing every problem to stderr when it is invalid.
 * A command that gets `undefined` could not run and exits 2; only check-config answers 1 ("invalid").
 */
export function loadConfigOrReport(option?: string): Config | undefined {
  const result = loadConfig(configDir(option));
  if (result.ok) return result.config;
  for (const p of result.errors) process.stderr.write(`${formatProblem(p)}\n`);
  process.stderr.write(`${result.errors.length} problem(s) in ${configDir(option)}\n`);
  return undefined;
}
