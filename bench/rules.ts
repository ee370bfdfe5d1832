/**
 * Rules benchmark: articles/s on one core for the presearch index and for a naive baseline that
 * evaluates every rule (one RegExp per term) on every article, at 100 to 100,000 rules.
 * Run: npx tsx bench/rules.ts
 * Inputs come from bench/rules-corpus.ts with a fixed seed.
 */
import os from 'node:os';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import { compileRules } from '../src/rules/index.js';
import type { CompiledRuleSet } from '../src/rules/compile.js';
import { generateCorpus, generateRules } from './rules-corpus.js';
import { compileNaive } from './rules-naive.js';

const SEED = 20261129;
const RULE_COUNTS = [100, 1_000, 10_000, 100_000];
/** Articles timed for the naive baseline: it is ~1000x slower, so fewer suffice. */
const NAIVE_SAMPLE: Record<number, number> = { 100: 200, 1000: 50, 10000: 10, 100000: 2 };
const INDEX_ARTICLES = 2_000;
const ctx = { feedTags: [], now: Date.UTC(2026, 10, 29, 13) };

// Exact heap figures need a full collection before each reading; no --expose-gc flag needed.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/**
 * Runs `work` over articles until `minMs` has passed (at least one full pass). Returns articles per
 * second of this process's CPU time, i.e. per core: the machine may be shared, and wall time
 * would charge other processes' load to us. GC helper threads count too, so this is conservative.
 */
function throughputOnce<T>(articles: T[], work: (a: T) => unknown, minMs: number, limit: number): number {
  let done = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  do {
    for (let i = 0; i < limit; i++) work(articles[i] as T);
    done += limit;
  } while (performance.now() - start < minMs);
  const cpu = process.cpuUsage(cpuStart);
  return done / ((cpu.user + cpu.system) / 1e6);
}

/**
 * `throughputOnce` in `rounds` rounds sharing `minMs`, and their median: one round that a major GC or a
 * busy moment on the host slows does not set the figure.
 */
function throughput<T>(articles: T[], work: (a: T) => unknown, minMs: number, limit = articles.length, rounds = 5): number {
  const rates = Array.from({ length: rounds }, () => throughputOnce(articles, work, minMs / rounds, limit)).sort((a, b) => a - b);
  return rates[Math.floor(rounds / 2)]!;
}

const corpus = generateCorpus(SEED, INDEX_ARTICLES);
const words = corpus.articles.reduce((n, a) => n + `${a.title} ${a.summary} ${a.content}`.split(/\s+/).length, 0) / corpus.articles.length;
console.log(`## Rules benchmark`);
console.log(
  `seed ${SEED}; ${corpus.articles.length} articles of ~${Math.round(words)} words (Zipf vocabulary of ${corpus.vocabulary.length}, ` +
    `${corpus.entities.length} named entities); node ${process.version}; single thread, articles per CPU-second; ` +
    `load average at start ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores\n`,
);
console.log(
  '| rules | compile s | heap MB | always-evaluated | candidates/article | matches/article | index art/s | ' +
    'index art/s without always-evaluated | art/s explaining every match | naive art/s (sample) | index/naive |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');

const results: Array<{
  rules: number;
  index: number;
  indexWithoutAlways: number;
  explaining: number;
  naive: number;
  heap: number;
  matchesPerArticle: number;
}> = [];
for (const count of RULE_COUNTS) {
  const defs = generateRules(SEED + count, count, corpus);
  const heapBefore = heapMb();
  const compileStart = performance.now();
  const { ruleSet, errors } = compileRules(defs);
  const compileSeconds = (performance.now() - compileStart) / 1000;
  const heap = heapMb() - heapBefore;
  if (errors.length > 0) throw new Error(`generated rules do not parse: ${JSON.stringify(errors[0])}`);

  // Warm up, then count what the index does per article.
  let matches = 0;
  for (const a of corpus.articles.slice(0, 200)) matches += ruleSet.match(a, ctx).length;
  const index = throughput(corpus.articles, (a) => ruleSet.match(a, ctx), 5_000);

  // The always-evaluated rules (regex-only, '?x' wildcards) cost the same per article at any
  // rule count: measured apart so the index's own scaling is visible.
  const indexedOnly = compileRules(defs.filter((d) => !d.id.startsWith('always-'))).ruleSet;
  for (const a of corpus.articles.slice(0, 200)) indexedOnly.match(a, ctx);
  const indexWithoutAlways = throughput(corpus.articles, (a) => indexedOnly.match(a, ctx), 1_500);

  // Matching builds no explanation; RuleHit.explain() builds one when an alert needs it. Explaining
  // every match is the worst case (every match alerts), timed apart.
  const explaining = throughput(corpus.articles, (a) => ruleSet.match(a, ctx).map((hit) => hit.explain()), 1_500);

  const naiveRules = compileNaive(defs);
  const sample = NAIVE_SAMPLE[count] ?? 4;
  // Cross-check on the sample: both engines must agree on what matched.
  for (const a of corpus.articles.slice(0, sample)) {
    const expected = ruleSet
      .match(a, ctx)
      .map((m) => m.ruleId)
      .join(',');
    if (naiveRules.match(a).join(',') !== expected) throw new Error(`naive and index disagree on ${a.id}`);
  }
  const naive = throughput(corpus.articles, (a) => naiveRules.match(a), 0, sample, 1);
  const sampled = corpus.articles.slice(0, 200);
  const candidates = sampled.reduce((n, a) => n + (ruleSet as CompiledRuleSet).candidateCount(a), 0) / sampled.length;
  results.push({ rules: count, index, indexWithoutAlways, explaining, naive, heap, matchesPerArticle: matches / 200 });
  console.log(
    `| ${count.toLocaleString('en')} | ${compileSeconds.toFixed(2)} | ${heap.toFixed(0)} | ${(ruleSet as CompiledRuleSet).alwaysEvaluated} | ` +
      `${candidates.toFixed(1)} | ${(matches / 200).toFixed(2)} | ${Math.round(index).toLocaleString('en')} | ` +
      `${Math.round(indexWithoutAlways).toLocaleString('en')} | ${Math.round(explaining).toLocaleString('en')} | ` +
      `${naive.toFixed(1)} (${sample}) | ${Math.round(index / naive).toLocaleString('en')}x |`,
  );
}

const at = (n: number) => results.find((r) => r.rules === n)!;
console.log('');
console.log(
  `cost from 100 to 10,000 rules: ${(at(100).index / at(10_000).index).toFixed(2)}x (target <= 2x); ` +
    `${(at(100).indexWithoutAlways / at(10_000).indexWithoutAlways).toFixed(2)}x without the always-evaluated rules`,
);
console.log(
  `10,000 rules: ${Math.round(at(10_000).index)} art/s (target >= 5,000), ${Math.round(at(10_000).index / at(10_000).naive)}x naive (target >= 200x)`,
);
console.log(
  `100,000 rules: ${Math.round(at(100_000).index)} art/s (target >= 1,000), heap ${at(100_000).heap.toFixed(0)} MB (target < 300 MB)`,
);
console.log(
  `explanations: match() builds none (index art/s); RuleHit.explain() builds one on demand, for matches that alert. ` +
    `Explaining every match (${results.map((r) => `${r.matchesPerArticle.toFixed(2)}/article at ${r.rules.toLocaleString('en')} rules`).join(', ')}) ` +
    `gives ${results.map((r) => Math.round(r.explaining).toLocaleString('en')).join(', ')} art/s`,
);
