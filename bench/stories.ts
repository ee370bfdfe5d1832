/**
 * Story clustering evaluation: precision and recall of "same story" on syndicated copies of hand-written
 * wire reports, per threshold, pairwise and through the clustering procedure; plus fingerprint speed.
 * Run: npx tsx bench/stories.ts [--seeds 1,2,3,4,5]
 */
import { performance } from 'node:perf_hooks';
import { storyFingerprint } from '../src/stories/fingerprint.js';
import { STORY_THRESHOLD } from '../src/stories/lsh.js';
import { syndicatedCorpus } from '../test/fixtures/stories/syndicated-copies.js';
import {
  clusterScores,
  fingerprintAll,
  pairwiseScores,
  type ClusterScores,
  type PairScores,
} from '../test/fixtures/stories/story-evaluation.js';
import { WIRE_REPORTS } from '../test/fixtures/stories/wire-reports.js';

const seedsArg = process.argv.indexOf('--seeds');
const seeds = seedsArg > 0 ? process.argv[seedsArg + 1]!.split(',').map(Number) : [1, 2, 3, 4, 5];
const thresholds = [3, 6, 8, 10, 12, 14, 16, 18, 20];

const corpora = seeds.map((seed) => fingerprintAll(syndicatedCorpus(seed)));
const pct = (x: number) => (100 * x).toFixed(1);

function sumPairs<T extends PairScores>(all: T[]): PairScores {
  const tp = all.reduce((s, x) => s + x.truePositives, 0);
  const fp = all.reduce((s, x) => s + x.falsePositives, 0);
  const fn = all.reduce((s, x) => s + x.falseNegatives, 0);
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision: tp / (tp + fp || 1), recall: tp / (tp + fn || 1) };
}

console.log(`## Story clustering evaluation`);
console.log(
  `${WIRE_REPORTS.length} wire reports x 8 copies = ${corpora[0]!.length} articles per seed; seeds ${seeds.join(',')}; ` +
    `default threshold ${STORY_THRESHOLD}\n`,
);
console.log('| threshold | pairwise P | pairwise R | clustered P | clustered R | alerts (ideal ' +
  `${WIRE_REPORTS.length}) | split stories | merged stories |`);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const threshold of thresholds) {
  const pairs = sumPairs(corpora.map((c) => pairwiseScores(c, threshold)));
  const clustered: ClusterScores[] = corpora.map((c) => clusterScores(c, threshold));
  const cluster = sumPairs(clustered);
  const mean = (key: 'alerts' | 'splitStories' | 'mergedStories') =>
    (clustered.reduce((s, x) => s + x[key], 0) / clustered.length).toFixed(1);
  console.log(
    `| ${threshold} | ${pct(pairs.precision)} | ${pct(pairs.recall)} | ${pct(cluster.precision)} | ${pct(cluster.recall)} | ` +
      `${mean('alerts')} | ${mean('splitStories')} | ${mean('mergedStories')} |`,
  );
}

// Speed: fingerprints per second over the corpus, after a warm-up.
const articles = corpora.flat();
for (const a of articles) storyFingerprint(a);
const rounds = 20;
const start = performance.now();
for (let r = 0; r < rounds; r++) for (const a of articles) storyFingerprint(a);
const perSecond = (rounds * articles.length) / ((performance.now() - start) / 1000);
console.log(`\nstoryFingerprint: ${Math.round(perSecond).toLocaleString('en')} articles/s (${process.version})`);
