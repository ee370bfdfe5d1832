/**
 * Regex engines for `/pattern/` rules, side by side: re2-wasm (the engine before), re2js (the one
 * chosen) and V8's own RegExp (backtracking, so not usable for user patterns; shown as the floor),
 * and the native `re2` addon when it is installed (it needs an install script, which npm 11 does not
 * run on `npm ci` unless approved, and which downloads a prebuilt binary or compiles C++).
 * Run: npm run bench -- rules-regex
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { RE2 } from 're2-wasm';
import { RE2JS } from 're2js';
import { generateCorpus } from './rules-corpus.js';

interface Engine {
  name: string;
  compile(source: string): { test(text: string): boolean; hits(text: string): number };
}

const engines: Engine[] = [
  {
    name: 're2-wasm',
    compile(source) {
      const re = new RE2(source, 'giu');
      return {
        test: (text) => ((re.lastIndex = 0), re.test(text)),
        hits: (text) => {
          let n = 0;
          re.lastIndex = 0;
          for (let m = re.exec(text); m; m = re.exec(text)) n++;
          return n;
        },
      };
    },
  },
  {
    name: 're2js',
    compile(source) {
      const re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
      return {
        test: (text) => re.test(text),
        hits: (text) => {
          let n = 0;
          for (const m = re.matcher(text); m.find(); ) n++;
          return n;
        },
      };
    },
  },
  {
    name: 'V8 RegExp (floor, unsafe for user patterns)',
    compile(source) {
      const re = new RegExp(source, 'giu');
      return { test: (text) => ((re.lastIndex = 0), re.test(text)), hits: (text) => [...text.matchAll(re)].length };
    },
  },
];

try {
  const NativeRE2 = createRequire(import.meta.url)('re2') as new (source: string, flags: string) => RegExp;
  engines.push({
    name: 're2 (native addon)',
    compile(source) {
      const re = new NativeRE2(source, 'giu');
      return { test: (text) => ((re.lastIndex = 0), re.test(text)), hits: (text) => [...text.matchAll(re)].length };
    },
  });
} catch {
  // Not installed: its install script did not run (see the header).
}

/** CPU microseconds per call of `work` over `inputs`, repeated until `minMs` has passed. */
function cpuMicros<T>(inputs: T[], work: (input: T) => unknown, minMs: number): number {
  let calls = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  do {
    for (const input of inputs) work(input);
    calls += inputs.length;
  } while (performance.now() - start < minMs);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / calls;
}

const corpus = generateCorpus(20261129, 200);
const texts = corpus.articles.map((a) => a.content);
const w = (i: number) => corpus.vocabulary[2000 + i * 37] as string;
// Shapes of the always-evaluated rules in bench/rules-corpus.ts, and two common hand-written ones.
const patterns = [
  `${w(1).slice(0, 4)}[a-z]*${w(2).slice(0, 2)}`,
  `\\b${w(3).slice(0, 3)}[a-z]+ ${w(4).slice(0, 2)}`,
  'F-?16s?\\b',
  '\\d{4}-\\d{2}',
];
const kb = texts.reduce((n, t) => n + t.length, 0) / texts.length / 1024;

console.log('## Regex engines');
console.log(
  `node ${process.version}; ${texts.length} article bodies of ${kb.toFixed(1)} KB; CPU time; load average at start ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores\n`,
);
if (!engines.some((e) => e.name.startsWith('re2 (native')))
  console.log('re2 (native addon): not installed (its install script is not run by `npm ci` with npm 11); not measured\n');
const sizes = [2_000, 8_000, 32_000];
console.log(
  `| engine | test() us per article body, mean of ${patterns.length} patterns | ${sizes.map((n) => `list ${n.toLocaleString('en')} hits ms`).join(' | ')} |`,
);
console.log(`|---|---:|${sizes.map(() => '---:').join('|')}|`);
for (const engine of engines) {
  const compiled = patterns.map((p) => engine.compile(p));
  const test = cpuMicros(texts, (t) => compiled.forEach((re) => re.test(t)), 1_500) / patterns.length;
  // Listing hits is what explanations and NEAR with a regex operand do: a text with n hits.
  const listing = sizes.map((n) => {
    const text = 'ab '.repeat(n);
    const re = engine.compile('ab');
    // re2-wasm copies the whole text per hit: stop before it takes minutes.
    if (engine.name === 're2-wasm' && n > 8_000) return 'skipped (quadratic)';
    return (cpuMicros([text], (t) => re.hits(t), 0) / 1000).toFixed(1);
  });
  console.log(`| ${engine.name} | ${test.toFixed(1)} | ${listing.join(' | ')} |`);
}
