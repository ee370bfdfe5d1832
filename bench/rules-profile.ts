/**
 * Matches the rules benchmark's articles against one rule set for a while, for a CPU profile:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/rules-profile.ts 10000
 * then read the .cpuprofile in Chrome DevTools (or any profile viewer).
 */
import { compileRules } from '../src/rules/index.js';
import { generateCorpus, generateRules } from './rules-corpus.js';

const SEED = 20261129;
const count = Number(process.argv[2] ?? 10_000);
const seconds = Number(process.argv[3] ?? 10);
const corpus = generateCorpus(SEED, 2_000);
const { ruleSet } = compileRules(generateRules(SEED + count, count, corpus));
const ctx = { feedTags: [], now: Date.UTC(2026, 10, 29, 13) };
const until = Date.now() + seconds * 1000;
let articles = 0;
while (Date.now() < until) {
  for (const article of corpus.articles) ruleSet.match(article, ctx);
  articles += corpus.articles.length;
}
console.log(`${articles} articles matched against ${count} rules`);
