import { STORY_BAND_SHAPE, type BandShape } from '../src/stories/minhash-bands.js';
import { STORY_OVERLAP, storyKey } from '../src/stories/story-key.js';
import { syndicatedCorpus } from '../test/fixtures/stories/syndicated-copies.js';
import {
  bandsFor,
  clusterAssignments,
  clusterScores,
  keyAll,
  overlapPairScores,
  precision,
  recall,
  sumScores,
  type ClusterScores,
  type KeyedArticle,
  type PairScores,
  type Retrieval,
} from '../test/fixtures/stories/story-evaluation.js';
import { WIRE_REPORTS } from '../test/fixtures/stories/wire-reports.js';

const tuningSeeds = [1, 2, 3, 4, 5];
const heldOutSeeds = [6, 7, 8, 9, 10];
const tuning = tuningSeeds.map((seed) => keyAll(syndicatedCorpus(seed)));
const heldOut = heldOutSeeds.map((seed) => keyAll(syndicatedCorpus(seed)));

const pct = (x: number) => (100 * x).toFixed(1);
const pr = (s: PairScores) => `${pct(precision(s))} | ${pct(recall(s))}`;
const shapeLabel = (r: Retrieval) => (r === 'exhaustive' ? 'exhaustive' : `${r.headBands} head + ${r.bands} body, ${r.rows} rows`);

function clusterColumns(corpora: KeyedArticle[][], minOverlap: number, retrieval: Retrieval): string {
  const all: ClusterScores[] = corpora.map((articles) => clusterScores(articles, minOverlap, retrieval));
  const mean = (key: 'alerts' | 'splitStories' | 'mergedStories') => (all.reduce((total, s) => total + s[key], 0) / all.length).toFixed(1);
  return `${pr(sumScores(all))} | ${mean('alerts')} | ${mean('splitStories')} | ${mean('mergedStories')}`;
}

/** Share of different-story pairs that share a lookup key: the candidates the store fetches for nothing. */
function sharedKeyRate(corpora: KeyedArticle[][], shape: BandShape): number {
  let shared = 0;
  let pairs = 0;
  for (const articles of corpora) {
    const keys = articles.map((article) => new Set(bandsFor(article, shape)));
    for (let i = 0; i < articles.length; i++) {
      for (let j = i + 1; j < articles.length; j++) {
        if (articles[i]!.storyId === articles[j]!.storyId) continue;
        pairs++;
        if ([...keys[i]!].some((key) => keys[j]!.has(key))) shared++;
      }
    }
  }
  return shared / pairs;
}

console.log(
  `${WIRE_REPORTS.length} wire reports x 8 copies = ${tuning[0]!.length} articles per seed. ` +
    `Chosen: overlap >= ${STORY_OVERLAP}, bands ${shapeLabel(STORY_BAND_SHAPE)}.\n`,
);
const clusterHeader = `clustered P | clustered R | alerts (ideal ${WIRE_REPORTS.length}) | split stories | merged stories`;

console.log(
  `Overlap threshold, seeds ${tuningSeeds.join(',')} (pairwise: each pair alone; clustered: the procedure with the chosen bands)\n`,
);
console.log(`| overlap >= | pairwise P | pairwise R | ${clusterHeader} |`);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const minOverlap of [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7]) {
  const pairs = sumScores(tuning.map((articles) => overlapPairScores(articles, minOverlap)));
  console.log(`| ${minOverlap} | ${pr(pairs)} | ${clusterColumns(tuning, minOverlap, STORY_BAND_SHAPE)} |`);
}

console.log(
  `\nBand shape at overlap >= ${STORY_OVERLAP}, seeds ${tuningSeeds.join(',')} (exhaustive: every earlier article is a candidate)\n`,
);
console.log(`| bands | different-story pairs sharing a key | ${clusterHeader} |`);
console.log('|---|---:|---:|---:|---:|---:|---:|');
const shapes: Retrieval[] = [
  'exhaustive',
  { headBands: 0, bands: 32, rows: 2 },
  { headBands: 16, bands: 16, rows: 2 },
  { headBands: 16, bands: 32, rows: 2 },
  { headBands: 32, bands: 32, rows: 2 },
  { headBands: 16, bands: 32, rows: 3 },
];
for (const shape of shapes) {
  const rate = shape === 'exhaustive' ? '100' : pct(sharedKeyRate(tuning, shape));
  console.log(`| ${shapeLabel(shape)} | ${rate}% | ${clusterColumns(tuning, STORY_OVERLAP, shape)} |`);
}

console.log(`\nChosen settings on held-out seeds ${heldOutSeeds.join(',')}\n`);
console.log(`| overlap >= | pairwise P | pairwise R | ${clusterHeader} |`);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
const heldOutPairs = sumScores(heldOut.map((articles) => overlapPairScores(articles, STORY_OVERLAP)));
console.log(`| ${STORY_OVERLAP} | ${pr(heldOutPairs)} | ${clusterColumns(heldOut, STORY_OVERLAP, STORY_BAND_SHAPE)} |`);

console.log(
  `\nCopies that joined the wire's story, by edit (an edited copy usually has several), chosen settings, seeds ${[...tuningSeeds, ...heldOutSeeds].join(',')}\n`,
);
console.log('| edit | copies | joined |');
console.log('|---|---:|---:|');
const joinedByEdit = new Map<string, { copies: number; joined: number }>();
for (const articles of [...tuning, ...heldOut]) {
  const predicted = clusterAssignments(articles, STORY_OVERLAP, STORY_BAND_SHAPE);
  const storyOfWire = new Map(articles.flatMap((a, i) => (a.id.endsWith('#0') ? [[a.storyId, predicted[i]!]] : [])));
  articles.forEach((article, i) => {
    if (article.id.endsWith('#0')) return;
    for (const edit of new Set(['(any copy)', ...article.edits.map((e) => e.replace(/\d+ and \d+/, 'n and n+1'))])) {
      const entry = joinedByEdit.get(edit) ?? { copies: 0, joined: 0 };
      entry.copies++;
      if (predicted[i] === storyOfWire.get(article.storyId)) entry.joined++;
      joinedByEdit.set(edit, entry);
    }
  });
}
for (const [edit, { copies, joined }] of [...joinedByEdit].sort((a, b) => b[1].joined / b[1].copies - a[1].joined / a[1].copies)) {
  console.log(`| ${edit} | ${copies} | ${pct(joined / copies)}% |`);
}

const articles = tuning.flat();
/** Articles per CPU-second (user + system time of this process), steadier than wall time on a busy machine. */
function perCpuSecond(work: () => void): number {
  work();
  const rounds = 10;
  const before = process.cpuUsage();
  for (let r = 0; r < rounds; r++) work();
  const used = process.cpuUsage(before);
  return (rounds * articles.length) / ((used.user + used.system) / 1e6);
}
console.log(`\nSpeed (${process.version}, ${articles.length} articles, median of 3 runs, per CPU-second):`);
for (const [name, work] of [['storyKey', () => articles.forEach((a) => storyKey(a))]] as const) {
  const runs = [perCpuSecond(work), perCpuSecond(work), perCpuSecond(work)].sort((a, b) => a - b);
  console.log(`  ${name}: ${Math.round(runs[1]!).toLocaleString('en')} articles/s (${(1e6 / runs[1]!).toFixed(0)} µs each)`);
}
