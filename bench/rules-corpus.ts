/**
 * Synthetic inputs for the rules benchmark, reproducible from a seed: articles of ~500 words
 * drawn from a Zipf vocabulary with named entities, and rule sets shaped like hand-written ones.
 */
import type { Article } from '../src/articles/article.js';
import type { RuleDefinition } from '../src/rules/index.js';
import { seededRandom } from '../test/support/seeded-random.js';

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'to',
  'sa',
  'vel',
  'dor',
  'an',
  'is',
  'ter',
  'po',
  'lu',
  'gra',
  'ne',
  'vi',
  'bo',
  'shi',
  'ra',
  'ton',
  'el',
  'mar',
  'ko',
  'din',
  'u',
  'bel',
  'ost',
  'ya',
];
/** Names use their own syllables so that a name is never also a common word. */
const NAME_SYLLABLES = [
  'zak',
  'qui',
  'xan',
  'jor',
  'wel',
  'haz',
  'fry',
  'kev',
  'yun',
  'zor',
  'pax',
  'quo',
  'vex',
  'jin',
  'har',
  'wyn',
  'bex',
  'cal',
  'ix',
  'oz',
];
const ACCENTS: Record<string, string> = { e: 'é', u: 'ü', o: 'ö', a: 'á' };

type Random = () => number;

function pick<T>(rnd: Random, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)] as T;
}

function pseudoWord(rnd: Random, minSyllables: number, maxSyllables: number, syllables = SYLLABLES): string {
  const n = minSyllables + Math.floor(rnd() * (maxSyllables - minSyllables + 1));
  let w = '';
  for (let i = 0; i < n; i++) w += pick(rnd, syllables);
  return w;
}

/** Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s. */
function zipfSampler(n: number, s: number): (rnd: Random) => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cumulative[r] = total += 1 / (r + 1) ** s;
  return (rnd) => {
    const x = rnd() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const capitalize = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

export interface Corpus {
  vocabulary: string[];
  /** Named entities, one or two words, some with diacritics. */
  entities: string[];
  articles: Article[];
}

const VOCABULARY_SIZE = 30_000;
/** Many names, as in real news: a rule set of 100,000 rules watches far more than a few thousand. */
const ENTITY_COUNT = 40_000;
const ENTITY_RATE = 0.05;

export function generateCorpus(seed: number, articleCount: number): Corpus {
  const rnd = seededRandom(seed);
  const vocabulary = uniqueWords(rnd, VOCABULARY_SIZE, (i) => (i < 200 ? pseudoWord(rnd, 1, 2) : pseudoWord(rnd, 2, 4)));
  const entities = uniqueWords(rnd, ENTITY_COUNT, () => {
    let name = capitalize(pseudoWord(rnd, 2, 4, NAME_SYLLABLES));
    if (rnd() < 0.1) name = name.replace(/[euoa]/, (c) => ACCENTS[c] ?? c);
    return rnd() < 0.3 ? `${name} ${capitalize(pseudoWord(rnd, 1, 2, SYLLABLES))}` : name;
  });
  const wordRank = zipfSampler(vocabulary.length, 1.05);
  const entityRank = zipfSampler(entities.length, 1.0);
  const sentence = (words: number) => {
    const out: string[] = [];
    for (let i = 0; i < words; i++) {
      out.push(rnd() < ENTITY_RATE ? (entities[entityRank(rnd)] as string) : (vocabulary[wordRank(rnd)] as string));
    }
    return `${capitalize(out.join(' '))}.`;
  };
  const paragraph = (words: number) => {
    const sentences: string[] = [];
    for (let left = words; left > 0; left -= 15) sentences.push(sentence(Math.min(15, left)));
    return sentences.join(' ');
  };
  const articles: Article[] = [];
  for (let i = 0; i < articleCount; i++) {
    articles.push({
      id: `bench-${i}`,
      feedId: `feed-${i % 50}`,
      title: sentence(10).slice(0, -1),
      link: `https://www.site${i % 50}.com/news/${i}`,
      summary: paragraph(40),
      content: paragraph(450),
      author: capitalize(pseudoWord(rnd, 2, 3)),
      categories: [capitalize(vocabulary[wordRank(rnd)] as string)],
      published: new Date(Date.UTC(2026, 10, 29, 12)).toISOString(),
      fetchedAt: new Date(Date.UTC(2026, 10, 29, 12)).toISOString(),
      lang: 'en',
    });
  }
  return { vocabulary, entities, articles };
}

function uniqueWords(_rnd: Random, n: number, make: (i: number) => string): string[] {
  const seen = new Set<string>();
  for (let guard = 0; seen.size < n && guard < n * 50; guard++) seen.add(make(seen.size));
  return [...seen];
}

/** Rules mostly name entities and mid-frequency words; nobody watches for "the". */
export function generateRules(seed: number, count: number, corpus: Corpus): RuleDefinition[] {
  const rnd = seededRandom(seed);
  const { vocabulary, entities } = corpus;
  // Watched names and words are specific: not the few most frequent ones, not "the".
  const entity = () => entities[100 + Math.floor(rnd() * (entities.length - 100))] as string;
  const word = () => vocabulary[2000 + Math.floor(rnd() * (vocabulary.length - 2000))] as string;
  const term = () => {
    if (rnd() < 0.6) {
      const name = entity();
      return name.includes(' ') ? `"${name}"` : name;
    }
    return word();
  };
  const orGroup = (min = 2, max = 6) => {
    const n = min + Math.floor(rnd() * (max - min + 1));
    const terms = Array.from({ length: n }, term);
    return n === 1 ? (terms[0] as string) : `(${terms.join(' OR ')})`;
  };
  const wildcard = () => `${word().slice(0, 4 + Math.floor(rnd() * 3))}*`;
  const shapes: Array<[number, () => string]> = [
    [30, () => `${orGroup()} AND ${orGroup()}`],
    [15, () => `${orGroup()} NEAR/${3 + Math.floor(rnd() * 8)} ${orGroup(1, 4)}`],
    [12, () => `"${word()} ${word()}" ${orGroup(1, 3)}`],
    [10, () => `${orGroup()} ${term()} -${term()} NOT ${orGroup(2, 3)}`],
    [10, () => `title:${orGroup(2, 4)} ${orGroup(1, 3)}`],
    [8, () => `${wildcard()} ${orGroup(1, 4)}`],
    [8, () => `${orGroup(3, 6)}`],
    [5, () => `${orGroup()} ONEAR/4 ${wildcard()} source:site${Math.floor(rnd() * 60)}.com`],
    [2, () => `${term()} /\\b${word().slice(0, 3)}[a-z]+ ${word().slice(0, 2)}/`],
  ];
  const totalWeight = shapes.reduce((s, [w]) => s + w, 0);
  const rules: RuleDefinition[] = [];
  // A few rules that nothing can pre-filter, as real configs have: they are evaluated always.
  const unfilteredCount = Math.min(5, Math.ceil(count / 100));
  for (let i = 0; i < count - unfilteredCount; i++) {
    let x = rnd() * totalWeight;
    const shape = shapes.find(([w]) => (x -= w) < 0) ?? shapes[0]!;
    rules.push({
      id: `rule-${i}`,
      name: `rule ${i}`,
      query: shape[1](),
      ...(rnd() < 0.15 ? { exclude: orGroup(1, 3) } : {}),
      ...(rnd() < 0.05 ? { feeds: [`feed-${Math.floor(rnd() * 50)}`] } : {}),
    });
  }
  const unfiltered = [`/${word().slice(0, 4)}[a-z]*${word().slice(0, 2)}/`, `${word().slice(0, 1)}?${word().slice(1, 5)}`];
  for (let i = 0; i < unfilteredCount; i++) {
    rules.push({ id: `always-${i}`, name: `always ${i}`, query: unfiltered[i % unfiltered.length] as string });
  }
  return rules;
}
