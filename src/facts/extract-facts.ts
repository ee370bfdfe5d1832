import { PLACES } from './gazetteer.js';
import { findNumbers, type NumberSpan } from './numbers.js';

/** A figure the article reports: `4,000 more soldiers` -> 4000 `soldiers`. */
interface FigureFact {
  kind: 'figure';
  text: string;
  value: number;
  unit: string;
}

/** A watched place the article names, by its canonical (English) name. */
interface PlaceFact {
  kind: 'place';
  text: string;
  place: string;
}

export type Fact = FigureFact | PlaceFact;

export interface FactOptions {
  /** Words the rule matched: only sentences holding one of them are read (all sentences when none does). */
  near?: readonly string[];
  /** At most this many facts (figures first). */
  max?: number;
}

const MAX_FACTS = 12;

// What a figure counts, by language. Russian heads are stems, since the noun inflects after a number.
const EN_HEADS = new Set(
  (
    'soldiers troops personnel servicemen workers labourers laborers engineers sappers missiles shells rounds rockets ' +
    'drones tanks vehicles howitzers casualties deaths dead killed wounded injured people men officers specialists ' +
    'commandos conscripts recruits mercenaries fighters civilians refugees prisoners containers launchers'
  ).split(' '),
);
const EN_SKIP = new Set('more additional extra new fresh of its their his her the some'.split(' '));
const EN_STOP = new Set(
  'of to in on at for by with and or from were was are is be have has had will would that which who as than'.split(' '),
);
const RU_HEADS = [
  'военнослужащ',
  'воен',
  'солдат',
  'бойц',
  'боец',
  'человек',
  'ракет',
  'снаряд',
  'строител',
  'рабоч',
  'сапер',
  'сапёр',
  'инженер',
  'танк',
  'дрон',
  'беспилотник',
  'специалист',
  'наемник',
  'наёмник',
  'доброволь',
];
const RU_SKIP = new Set('более около свыше порядка еще ещё дополнительно'.split(' '));
const RU_STOP = new Set('в во на из и с со для по к до что были было был а но от за'.split(' '));
const KO_HEADS = [
  '병력',
  '병사',
  '군인',
  '장병',
  '북한군',
  '노동자',
  '근로자',
  '인력',
  '공병',
  '특수부대',
  '전투병',
  '사상자',
  '사망자',
  '부상자',
  '포로',
  '용병',
  '미사일',
  '포탄',
];
const KO_MODIFIERS = new Set(['군사', '건설', '공병', '특수', '전투', '북한']);
const KO_COUNTERS: Record<string, string> = { 명: '명', 발: '발', 대: '대', 기: '기', 척: '척' };
// Particles and endings that follow a Korean noun (longest first), as in the rule matcher's Korean rule.
const KO_PARTICLES = /(?:에서|에게|으로|까지|부터|은|는|이|가|을|를|의|에|로|와|과|도|만)$/u;

const WORD = /[\p{L}\p{M}'’-]+/gu;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const HANGUL = /\p{Script=Hangul}/u;
const ABBREVIATION_END = /(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Lt|Col|Sgt|No|U\.S|U\.N)|тыс|млн|млрд|г)\.$/u;

interface Word {
  text: string;
  /** `text` lower-cased, as every lookup compares it. */
  lower: string;
  start: number;
  end: number;
}

function words(text: string): Word[] {
  return [...text.matchAll(WORD)].map((m) => ({ text: m[0], lower: m[0].toLowerCase(), start: m.index!, end: m.index! + m[0].length }));
}

/** Sentences, not split after abbreviations such as `тыс.` or `U.S.`. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const part of text.split(/(?<=[.!?。])\s+|\n+/u)) {
    current = current === '' ? part : `${current} ${part}`;
    if (!ABBREVIATION_END.test(current)) {
      if (current.trim() !== '') out.push(current.trim());
      current = '';
    }
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

/** The words from index `from` on are the ones after the number. */
function englishUnit(sentence: string, all: Word[], from: number): { unit: string; end: number } | undefined {
  let i = from;
  while (i < all.length && EN_SKIP.has(all[i]!.lower)) i++;
  for (let j = i; j < Math.min(all.length, i + 4); j++) {
    const word = all[j]!.lower;
    if (EN_HEADS.has(word)) return { unit: sentence.slice(all[i]!.start, all[j]!.end), end: all[j]!.end };
    if (EN_STOP.has(word)) return undefined;
  }
  return undefined;
}

function russianUnit(sentence: string, all: Word[], from: number): { unit: string; end: number } | undefined {
  let i = from;
  while (i < all.length && RU_SKIP.has(all[i]!.lower)) i++;
  const isHead = (w: Word | undefined) => w !== undefined && RU_HEADS.some((h) => w.lower.startsWith(h));
  for (let j = i; j < Math.min(all.length, i + 3); j++) {
    if (RU_STOP.has(all[j]!.lower)) return undefined;
    if (!isHead(all[j])) continue;
    let last = j;
    // "военных строителей": a second head noun belongs to the same unit.
    if (isHead(all[j + 1]) && all[j + 1]!.start - all[last]!.end <= 1) last = j + 1;
    return { unit: sentence.slice(all[i]!.start, all[last]!.end), end: all[last]!.end };
  }
  return undefined;
}

const stripParticle = (word: string) => word.replace(KO_PARTICLES, '');
const isKoreanHead = (word: string | undefined) => word !== undefined && KO_HEADS.some((h) => stripParticle(word).endsWith(h));

function koreanFigure(sentence: string, span: NumberSpan, all: Word[]): FigureFact | undefined {
  const counter = /^\s?(?:여\s?)?([명발대기척])/u.exec(sentence.slice(span.end));
  if (!counter) return undefined;
  const counterEnd = span.end + counter[0].length;
  // "4천 명의 병력": the unit follows in the genitive.
  const rest = /^의\s+([\p{L}]+)/u.exec(sentence.slice(counterEnd));
  if (rest && isKoreanHead(rest[1])) {
    const unit = stripParticle(rest[1]!);
    return { kind: 'figure', text: sentence.slice(span.start, counterEnd + 2 + unit.length), value: span.value, unit };
  }
  // "북한군 1만 2천 명", "군사 건설 인력 6천 명": the unit stands before the number.
  const before = all.filter((w) => w.end <= span.start);
  const head = before.at(-1);
  if (head && isKoreanHead(head.text) && span.start - head.end <= 1) {
    let first = head;
    const modifier = before.at(-2);
    if (modifier && KO_MODIFIERS.has(modifier.text) && head.start - modifier.end <= 1) first = modifier;
    const more = before.at(-3);
    if (first === modifier && more && KO_MODIFIERS.has(more.text) && first.start - more.end <= 1) first = more;
    const unit = `${sentence.slice(first.start, head.start)}${stripParticle(head.text)}`;
    return { kind: 'figure', text: sentence.slice(first.start, counterEnd), value: span.value, unit };
  }
  return { kind: 'figure', text: sentence.slice(span.start, counterEnd), value: span.value, unit: KO_COUNTERS[counter[1]!]! };
}

/** Index of the first word starting at or after `position` (words are in order). */
function firstWordFrom(all: Word[], position: number): number {
  let low = 0;
  let high = all.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (all[mid]!.start < position) low = mid + 1;
    else high = mid;
  }
  return low;
}

function figuresIn(sentence: string, all: Word[]): FigureFact[] {
  const out: FigureFact[] = [];
  for (const span of findNumbers(sentence)) {
    const from = firstWordFrom(all, span.end);
    const next = all[from];
    if (HANGUL.test(sentence.slice(span.end, span.end + 3)) || (next && HANGUL.test(next.text) && next.start - span.end <= 1)) {
      const fact = koreanFigure(sentence, span, all);
      if (fact) out.push(fact);
      continue;
    }
    const unit = next && CYRILLIC.test(next.text) ? russianUnit(sentence, all, from) : englishUnit(sentence, all, from);
    if (unit) out.push({ kind: 'figure', text: sentence.slice(span.start, unit.end), value: span.value, unit: unit.unit });
  }
  return out;
}

// Latin names are whole words; Cyrillic and Hangul ones inflect, so they match as a word's start.
const LATIN_START = /^[\p{Script=Latin}]/u;
/** Places (as indexes into PLACES) by the lower-cased Latin name. */
const PLACES_BY_WORD = new Map<string, number[]>();
/** Prefix names by their first character: a word is compared only with those it could start with. */
const PREFIXES_BY_FIRST = new Map<string, Array<{ prefix: string; place: number }>>();
PLACES.forEach((place, i) => {
  for (const alias of place.aliases) {
    if (LATIN_START.test(alias)) {
      const key = alias.toLowerCase();
      PLACES_BY_WORD.set(key, [...(PLACES_BY_WORD.get(key) ?? []), i]);
    } else PREFIXES_BY_FIRST.set(alias[0]!, [...(PREFIXES_BY_FIRST.get(alias[0]!) ?? []), { prefix: alias, place: i }]);
  }
});

const NONE: readonly number[] = [];

function placesIn(sentenceWords: Word[]): PlaceFact[] {
  const out: PlaceFact[] = [];
  for (const word of sentenceWords) {
    const named = PLACES_BY_WORD.get(word.lower) ?? NONE;
    const candidates = PREFIXES_BY_FIRST.get(word.text[0]!);
    const prefixed = candidates ? candidates.filter((p) => word.text.startsWith(p.prefix)).map((p) => p.place) : NONE;
    if (named.length === 0 && prefixed.length === 0) continue;
    // In gazetteer order, once per place, as when every place was tried in turn.
    for (const i of [...new Set([...named, ...prefixed])].sort((a, b) => a - b))
      out.push({ kind: 'place', text: word.text, place: PLACES[i]!.name });
  }
  return out;
}

const figureKey = (f: FigureFact) => `${f.value}\u0000${f.unit.toLowerCase()}`;

/** Figures and watched places reported in `text`, near the matched words when they are given. */
export function extractFacts(text: string, options: FactOptions = {}): Fact[] {
  const all = sentences(text);
  const near = (options.near ?? []).map((w) => w.toLowerCase()).filter((w) => w !== '');
  const chosen =
    near.length === 0
      ? all
      : all.filter((s) => {
          const lower = s.toLowerCase();
          return near.some((w) => lower.includes(w));
        });
  const read = chosen.length > 0 ? chosen : all;
  const figures = new Map<string, FigureFact>();
  const places = new Map<string, PlaceFact>();
  for (const sentence of read) {
    const sentenceWords = words(sentence);
    for (const f of figuresIn(sentence, sentenceWords)) if (!figures.has(figureKey(f))) figures.set(figureKey(f), f);
    for (const p of placesIn(sentenceWords)) if (!places.has(p.place)) places.set(p.place, p);
  }
  return [...figures.values(), ...places.values()].slice(0, options.max ?? MAX_FACTS);
}

/** What `later` reports that `earlier` did not: the figures and places a follow-up adds. */
export function newFacts(earlier: readonly Fact[], later: readonly Fact[]): Fact[] {
  const known = new Set(earlier.map((f) => (f.kind === 'figure' ? figureKey(f) : `place\u0000${f.place}`)));
  return later.filter((f) => !known.has(f.kind === 'figure' ? figureKey(f) : `place\u0000${f.place}`));
}

/** "now 6,000 military construction troops as well; also Kursk"; empty when nothing is new. */
export function describeNewFacts(added: readonly Fact[]): string {
  const list = (parts: string[]) => (parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`);
  const figures = list(added.flatMap((f) => (f.kind === 'figure' ? [`${f.value.toLocaleString('en-US')} ${f.unit}`] : [])));
  const places = list(added.flatMap((f) => (f.kind === 'place' ? [f.place] : [])));
  if (figures && places) return `now ${figures} as well; also ${places}`;
  if (figures) return `now ${figures} as well`;
  return places ? `now also ${places}` : '';
}
