/**
 * CLI start time (issue 10 target 3: `check-config` and `test-rule` on the shipped config in <= 0.3 s).
 * Runs the built CLI (dist/, as `npx newswatch` does) N times per command line, side by side with a bare
 * `node -e 0` and with every command module imported up front (as before commands were imported lazily),
 * and prints medians and ratios of wall time and of CPU time (user + system of the child, which a busy
 * machine disturbs less than wall time), then what the remaining time is spent on: the imports of the
 * config loader's parts, timed one by one.
 * Run: npm run build && npm run bench -- cli-start [--runs N] [--baseline DIR]
 * --baseline DIR: also run check-config and test-rule --rule from DIR, a built checkout of an earlier commit
 * (`git worktree add DIR <commit> && cd DIR && npm run build`, with node_modules), interleaved with this one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = join(import.meta.dirname, '..');
const MAIN = join(REPO, 'dist/src/cli/main.js');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const baselineArg = process.argv.indexOf('--baseline');
const BASELINE = baselineArg > 0 ? resolve(process.argv[baselineArg + 1]!) : undefined;

for (const repo of [REPO, ...(BASELINE ? [BASELINE] : [])]) {
  if (!existsSync(join(repo, 'dist/src/cli/main.js'))) {
    process.stderr.write(`bench cli-start: ${repo}/dist/src/cli/main.js is missing: run \`npm run build\` there first\n`);
    process.exit(2);
  }
}

const dist = (path: string) => JSON.stringify(join(REPO, 'dist/src', path));
/** Every command module, imported before the CLI runs: what each start cost when main.ts imported them all. */
const EAGER_MODULES = ['alerts', 'check-config', 'dry-run', 'feeds', 'fetch', 'jobs', 'preview', 'start', 'status', 'test-rule'].map((m) =>
  dist(`cli/${m}.js`),
);
const eager = (args: string[]) => [
  '--input-type=module',
  '-e',
  `await Promise.all([${EAGER_MODULES.join(',')}].map((m) => import(m))); process.argv.splice(1, Infinity, ${JSON.stringify(MAIN)}, ...${JSON.stringify(args)}); await import(${JSON.stringify(MAIN)});`,
];
const importOnly = (path: string) => ['--input-type=module', '-e', `await import(${dist(path)});`];

const CHECK_CONFIG = ['check-config', '--config', 'config'];
const TEST_RULE = [
  'test-rule',
  '--query',
  '"North Korea" NEAR/10 troops',
  '--text',
  'North Korea sends troops to Kursk',
  '--config',
  'config',
];
const TEST_CONFIGURED_RULE = [
  'test-rule',
  '--rule',
  'nk-troops-russia',
  '--text',
  'North Korea sends troops to Kursk in Russia',
  '--config',
  'config',
];

const LINES: Array<{ name: string; argv: string[] }> = [
  { name: '`node -e 0`', argv: ['-e', '0'] },
  { name: '`newswatch --version`', argv: [MAIN, '--version'] },
  { name: '`newswatch check-config --config config`', argv: [MAIN, ...CHECK_CONFIG] },
  { name: '`newswatch test-rule --query ... --text ... --config config`', argv: [MAIN, ...TEST_RULE] },
  { name: '`newswatch test-rule --rule nk-troops-russia --text ... --config config`', argv: [MAIN, ...TEST_CONFIGURED_RULE] },
  { name: 'check-config, every command imported up front (before)', argv: eager(CHECK_CONFIG) },
  { name: 'test-rule, every command imported up front (before)', argv: eager(TEST_RULE) },
  ...(BASELINE
    ? [
        { name: 'check-config, baseline checkout', argv: [join(BASELINE, 'dist/src/cli/main.js'), ...CHECK_CONFIG] },
        { name: 'test-rule --rule, baseline checkout', argv: [join(BASELINE, 'dist/src/cli/main.js'), ...TEST_CONFIGURED_RULE] },
      ]
    : []),
  // What check-config still spends its time on: its imports, one part at a time.
  { name: 'import commander', argv: ['--input-type=module', '-e', 'await import("commander");'] },
  { name: 'import zod', argv: ['--input-type=module', '-e', 'await import("zod");'] },
  {
    name: 'require snowball-stemmers and stem with its Russian stemmer (all languages in one file)',
    argv: ['-e', 'require("snowball-stemmers").newStemmer("russian").stem("войска");'],
  },

  { name: 'import rules/index.js (parser, compiler, matcher)', argv: importOnly('rules/index.js') },
  { name: 'import alerts/channels/channel-schemas.js (zod, channel schemas)', argv: importOnly('alerts/channels/channel-schemas.js') },
  { name: 'import config/schema.js', argv: importOnly('config/schema.js') },
  { name: 'import config/load.js', argv: importOnly('config/load.js') },
];

// Each child reports its own CPU time (user + system, all threads) on stderr as it exits.
const CPU_MARK = 'cli-start-bench-cpu-us';
const CPU_REPORTER = join(mkdtempSync(join(tmpdir(), 'newswatch-cli-start-')), 'report-cpu.cjs');
writeFileSync(
  CPU_REPORTER,
  `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeSync(2, '\\n${CPU_MARK} ' + (u.user + u.system) + '\\n'); });\n`,
);

/** Wall seconds and CPU seconds of one run. */
function seconds(argv: string[]): { wall: number; cpu: number } {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--require', CPU_REPORTER, ...argv], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NEWSWATCH_CONFIG: undefined },
  });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  // test-rule answers 0 (match); anything else means the line is broken and the figure meaningless.
  if (run.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${run.status}: ${run.stderr.toString()}`);
  const cpu = new RegExp(`\\n${CPU_MARK} (\\d+)\\n$`).exec(run.stderr.toString());
  if (!cpu) throw new Error(`node ${argv.join(' ')} did not report its CPU time: ${run.stderr.toString()}`);
  return { wall: elapsed, cpu: Number(cpu[1]) / 1e6 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(', ');
// Interleaved rounds: a change in load during the run touches every line alike.
const times = LINES.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
for (let round = 0; round < RUNS; round++)
  LINES.forEach((line, i) => {
    const { wall, cpu } = seconds(line.argv);
    times[i]!.wall.push(wall);
    times[i]!.cpu.push(cpu);
  });
const walls = times.map((t) => median(t.wall));
const cpus = times.map((t) => median(t.cpu));

const out = [
  '## CLI start (`npm run bench -- cli-start`)',
  '',
  `${RUNS} interleaved runs per line, median wall time and median CPU time (user + system), Node ${process.version}; load average ${load} at the start, ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')} at the end.`,
  '',
  '| command line | wall | vs `node -e 0` | CPU | vs `node -e 0` |',
  '|---|---:|---:|---:|---:|',
  ...LINES.map(
    (line, i) =>
      `| ${line.name} | ${(walls[i]! * 1000).toFixed(0)} ms | ${(walls[i]! / walls[0]!).toFixed(2)}x | ${(cpus[i]! * 1000).toFixed(0)} ms | ${(cpus[i]! / cpus[0]!).toFixed(2)}x |`,
  ),
  '',
];
process.stdout.write(`${out.join('\n')}\n`);
