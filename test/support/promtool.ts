import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/**
 * Where promtool is: $PROMTOOL, else on PATH, else where .ci/run unpacks Debian's prometheus package
 * (.tools/prometheus). Undefined when none of them has it; callers print why they skip.
 */
export function findPromtool(): string | undefined {
  const candidates = [
    process.env.PROMTOOL,
    ...(process.env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, 'promtool')),
    resolve('.tools/prometheus/usr/bin/promtool'),
  ];
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
}

/** Runs promtool with `input` on stdin; returns its exit status and what it printed. */
export function runPromtool(promtool: string, args: string[], input?: string): { status: number | null; output: string } {
  const run = spawnSync(promtool, args, { input, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

export const PROMTOOL_MISSING =
  "promtool not found ($PROMTOOL, PATH, .tools/prometheus): .ci/run unpacks it from Debian's prometheus package";
