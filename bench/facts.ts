/**
 * Fact extraction quality: precision and recall of figures (value and what is counted) and watched places
 * over hand-written sentences in English, Korean and Russian, against a naive baseline that takes every run
 * of digits as a figure. Quality, not speed: the figures do not depend on the machine.
 * Run: npm run bench -- facts
 */
import { extractFacts } from '../src/facts/extract-facts.js';
import { FACT_SENTENCES, type FactSentence } from '../test/fixtures/facts/fact-sentences.js';

interface Counts {
  found: number;
  right: number;
  expected: number;
}

const empty = (): Counts => ({ found: 0, right: 0, expected: 0 });
const pct = (n: number, d: number) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);

/** Every run of digits, separators dropped: what a regex-only extractor would report. */
function naiveFigures(text: string): { value: number; unit: string }[] {
  return [...text.matchAll(/\d[\d,.]*/gu)].map((m) => ({ value: Number(m[0].replaceAll(/[,.]$/gu, '').replaceAll(',', '')), unit: '' }));
}

function score(counts: Counts, found: { value: number; unit: string }[], expected: FactSentence['figures'], withUnit: boolean) {
  const open = [...expected];
  counts.expected += expected.length;
  counts.found += found.length;
  for (const f of found) {
    const i = open.findIndex((e) => e.value === f.value && (!withUnit || f.unit.toLowerCase().includes(e.unit.toLowerCase())));
    if (i >= 0) {
      counts.right++;
      open.splice(i, 1);
    }
  }
}

const byLang = new Map<string, { ours: Counts; oursValue: Counts; naive: Counts; places: Counts }>();
for (const sentence of FACT_SENTENCES) {
  const group = `${sentence.lang}${sentence.heldOut ? ' (held out)' : ''}`;
  const row = byLang.get(group) ?? { ours: empty(), oursValue: empty(), naive: empty(), places: empty() };
  byLang.set(group, row);
  const facts = extractFacts(sentence.text);
  const figures = facts.flatMap((f) => (f.kind === 'figure' ? [f] : []));
  score(row.ours, figures, sentence.figures, true);
  score(row.oursValue, figures, sentence.figures, false);
  score(row.naive, naiveFigures(sentence.text), sentence.figures, false);
  const places = facts.flatMap((f) => (f.kind === 'place' ? [{ value: 0, unit: f.place }] : []));
  score(
    row.places,
    places,
    sentence.places.map((p) => ({ value: 0, unit: p })),
    true,
  );
}

const total = (pick: (r: NonNullable<ReturnType<typeof byLang.get>>) => Counts): Counts =>
  [...byLang.values()]
    .map(pick)
    .reduce((a, b) => ({ found: a.found + b.found, right: a.right + b.right, expected: a.expected + b.expected }), empty());

console.log(`## Facts (\`npm run bench -- facts\`, ${FACT_SENTENCES.length} sentences)\n`);
console.log('| language | figures P / R (value + unit) | figures P / R (value only) | naive digits P / R (value only) | places P / R |');
console.log('|---|---:|---:|---:|---:|');
const line = (name: string, r: { ours: Counts; oursValue: Counts; naive: Counts; places: Counts }) =>
  console.log(
    `| ${name} | ${pct(r.ours.right, r.ours.found)} / ${pct(r.ours.right, r.ours.expected)} | ${pct(r.oursValue.right, r.oursValue.found)} / ${pct(r.oursValue.right, r.oursValue.expected)} | ${pct(r.naive.right, r.naive.found)} / ${pct(r.naive.right, r.naive.expected)} | ${pct(r.places.right, r.places.found)} / ${pct(r.places.right, r.places.expected)} |`,
  );
for (const [lang, r] of byLang) line(lang, r);
const all = {
  ours: total((r) => r.ours),
  oursValue: total((r) => r.oursValue),
  naive: total((r) => r.naive),
  places: total((r) => r.places),
};
line('**all**', all);
const f1 = (c: Counts) => (2 * c.right) / (c.found + c.expected);
console.log(
  `\nF1 (value only): extractor ${f1(all.oursValue).toFixed(2)} vs naive ${f1(all.naive).toFixed(2)} (${(f1(all.oursValue) / f1(all.naive)).toFixed(1)}x)\n`,
);
