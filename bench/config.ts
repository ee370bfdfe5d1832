/**
 * Config loading benchmark (issue 10, target 3): `loadConfig` on generated configs of 10,000 and
 * 100,000 rules (files of 10,000 rules each, queries shaped like bench/rules-corpus.ts), against the
 * loader of a baseline commit (default 8aabf2d, which built the positioned YAML document on every load)
 * in the same run. Compilation of the rules (the matcher's work, also inside loadConfig) is timed
 * on its own as well, so the reading and validation part can be read off.
 *
 *   npm run bench -- config [--baseline COMMIT] [--baseline-100k]
 *
 * The baseline at 100,000 rules takes about a minute on a quiet machine: it runs only when asked.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig, type LoadResult } from '../src/config/load.js';
import { compileRules } from '../src/rules/index.js';
import { FEEDS, RULES_PER_FILE, writeBenchConfig } from './config-files.js';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const BASELINE = arg('baseline') ?? '8aabf2d';
const BASELINE_100K = args.includes('--baseline-100k');

type LoadConfig = (dir: string, env?: NodeJS.ProcessEnv) => LoadResult;

/** Wall and CPU seconds of one call (the machine is shared: CPU time is what this process paid). */
function timed<T>(work: () => T): { value: T; wall: number; cpu: number } {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const value = work();
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { value, wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The baseline commit's src/ unpacked under bench/.baseline (so its imports resolve to our node_modules). */
async function baselineLoader(commit: string): Promise<LoadConfig> {
  const dir = resolve('bench', '.baseline', commit);
  if (!existsSync(join(dir, 'src'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-x', '-C', dir], { input: execFileSync('git', ['archive', commit, 'src']) });
  }
  return ((await import(pathToFileURL(join(dir, 'src', 'config', 'load.ts')).href)) as { loadConfig: LoadConfig }).loadConfig;
}

// A full collection before each timed load: each starts from the same heap, instead of paying for the
// garbage of the load before it (which was the other loader's half the time). No --expose-gc flag needed.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Timing {
  walls: number[];
  cpus: number[];
}

/** One timed load after a full collection; throws if the config does not load, so a broken loader cannot look fast. */
function timeLoad(load: LoadConfig, dir: string, into: Timing): void {
  gc();
  const { value, wall, cpu } = timed(() => load(dir, {}));
  if (!value.ok) throw new Error(`config did not load: ${value.errors[0]?.message}`);
  into.walls.push(wall);
  into.cpus.push(cpu);
}

const medians = (t: Timing) => ({ wall: median(t.walls), cpu: median(t.cpus) });

/**
 * Median seconds of `runs` loads by `load` and, if given, by `baseline`, taking turns: a busy or
 * quiet spell on the shared machine falls on both.
 */
function measureLoads(load: LoadConfig, baseline: LoadConfig | undefined, dir: string, runs: number) {
  const current: Timing = { walls: [], cpus: [] };
  const before: Timing = { walls: [], cpus: [] };
  for (let i = 0; i < runs; i++) {
    timeLoad(load, dir, current);
    if (baseline) timeLoad(baseline, dir, before);
  }
  return { current: medians(current), before: baseline ? medians(before) : undefined };
}

const baseline = await baselineLoader(BASELINE);
const loadStart = os.loadavg();
const rows: string[] = [];
for (const count of [10_000, 100_000]) {
  const dir = writeBenchConfig(count);
  const runs = count > 10_000 ? 1 : 5;
  const loaded = loadConfig(dir, {});
  // Warm both loaders' code on these files before timing either.
  if (count <= 10_000) baseline(dir, {});
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const definitions = loaded.config.rules.map((r) => ({
    id: r.id,
    name: r.name,
    query: r.query,
    exclude: r.exclude,
    feeds: r.feeds,
    stem: r.stem,
  }));
  const { current, before } = measureLoads(loadConfig, count <= 10_000 || BASELINE_100K ? baseline : undefined, dir, runs);
  gc();
  const compile = timed(() => compileRules(definitions));
  const f = (s: number) => s.toFixed(2);
  rows.push(
    `| ${count.toLocaleString('en')} | ${f(current.wall)} (${f(current.cpu)}) | ${f(compile.wall)} (${f(compile.cpu)}) | ${f(current.wall - compile.wall)} (${f(current.cpu - compile.cpu)}) | ` +
      (before
        ? `${f(before.wall)} (${f(before.cpu)}) | ${(before.wall / current.wall).toFixed(2)}x (${(before.cpu / current.cpu).toFixed(2)}x) |`
        : 'not run (--baseline-100k) | |'),
  );
  rmSync(dir, { recursive: true, force: true });
}

console.log('## Config loading (issue 10, target 3)\n');
console.log(
  `\`npm run bench -- config\`: generated configs (${RULES_PER_FILE.toLocaleString('en')} rules per file, ${FEEDS} feeds, one channel), median of 5 loads at 10,000 rules, ` +
    `1 at 100,000, each after a full GC, this loader and the baseline's taking turns; seconds wall (CPU). Baseline: the loader of ${BASELINE}, same files, same run. node ${process.version}, ${os.cpus().length} cores, ` +
    `load average ${loadStart.map((l) => l.toFixed(1)).join(' ')} at start, ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at end.\n`,
);
console.log(
  '| rules | loadConfig s | of which compiling rules s | reading and validating s | baseline loadConfig s | baseline / this, wall (CPU) |',
);
console.log('|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
console.log();
