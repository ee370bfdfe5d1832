/**
 * Numbers as news text writes them, in English, Korean and Russian: digits with any thousands separator
 * (`4,000`, `4.000`, `4 000`), decimals with a scale word (`1.5 million`, `1,5 тыс.`), Korean myriads
 * (`1만 2천`), and number words (`four thousand`, `четыре тысячи`).
 */

export interface NumberSpan {
  start: number;
  end: number;
  value: number;
}

const EN_UNITS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const RU_UNITS: Record<string, number> = {
  один: 1,
  одна: 1,
  два: 2,
  две: 2,
  три: 3,
  четыре: 4,
  пять: 5,
  шесть: 6,
  семь: 7,
  восемь: 8,
  девять: 9,
  десять: 10,
  одиннадцать: 11,
  двенадцать: 12,
  пятнадцать: 15,
  двадцать: 20,
  тридцать: 30,
  сорок: 40,
  пятьдесят: 50,
  шестьдесят: 60,
  семьдесят: 70,
  восемьдесят: 80,
  девяносто: 90,
  сто: 100,
  двести: 200,
  триста: 300,
  четыреста: 400,
  пятьсот: 500,
};
const HUNDRED = new Set(['hundred']);
/** Scale words that multiply what stands before them; Russian forms by prefix (тысяча, тысячи, тысяч, тыс.). */
const SCALES: readonly (readonly [RegExp, number])[] = [
  [/^(thousands?|тыс(?:яч[аи]?|\.)?)$/u, 1_000],
  [/^(millions?|млн\.?|миллион(?:а|ов)?)$/u, 1_000_000],
  [/^(billions?|млрд\.?|миллиард(?:а|ов)?)$/u, 1_000_000_000],
];
const KOREAN_SCALES: Record<string, number> = { 백: 100, 천: 1_000, 만: 10_000, 억: 100_000_000 };

// A grouped integer keeps one separator throughout; lone `4.5` or `1,5` is a decimal.
const DIGITS = /(?<![\d.,])(\d{1,3}(?:([,. \u00a0\u202f\u2009])\d{3})(?:\2\d{3})*|\d+(?:[.,]\d+)?)(?![\d])/gu;
const KOREAN_NUMBER = /(?<![\d.,])((?:\d[\d,]*\s?[억만천백]\s?)+\d*|\d[\d,]*)(?=\s?(?:명|여\s?명|발|대|기|척))/gu;
const WORD = /[\p{L}\p{M}.-]+/gu;
/** The word right after a digit run (sticky: read from where the run ends), which may be its scale. */
const SCALE_AFTER = /\s*([\p{L}.]+)/uy;

/** First letters of every scale word, lower-cased: other words need no regex. */
const SCALE_INITIALS = new Set(['t', 'm', 'b', 'т', 'м']);

function scaleOf(word: string): number | undefined {
  const lower = word.toLowerCase();
  if (!SCALE_INITIALS.has(lower[0]!)) return undefined;
  for (const [re, scale] of SCALES) if (re.test(lower)) return scale;
  return undefined;
}

function digitsValue(text: string, separator: string | undefined): number {
  if (separator !== undefined) return Number(text.replaceAll(separator, ''));
  return Number(text.replace(',', '.'));
}

/** `1만 2천` = 12,000; `1만2000` = 12,000; `4천` = 4,000. */
export function koreanValue(text: string): number | undefined {
  let total = 0;
  let section = 0;
  let pending: number | undefined;
  for (const [, digits, scale] of text.replaceAll(/[\s,]/gu, '').matchAll(/(\d*)([억만천백]?)/gu)) {
    if (digits === '' && scale === '') continue;
    const n = digits === '' ? 1 : Number(digits);
    if (scale === '') {
      pending = n;
      continue;
    }
    const factor = KOREAN_SCALES[scale!]!;
    if (factor >= 10_000) {
      total += (section + n) * factor;
      section = 0;
    } else section += n * factor;
  }
  const value = total + section + (pending ?? 0);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Both tables in one map: a word is looked up once, and only among the tables' own keys. */
const UNITS: ReadonlyMap<string, number> = new Map([...Object.entries(RU_UNITS), ...Object.entries(EN_UNITS)]);

/** What a lower-cased word adds as a number word (`twenty-five` = 25), or undefined when it is none. */
function unitOf(raw: string): number | undefined {
  if (!raw.includes('-')) return UNITS.get(raw);
  let sum = 0;
  for (const part of raw.split('-')) {
    const unit = UNITS.get(part);
    if (unit === undefined) return undefined;
    sum += unit;
  }
  return sum;
}

/** Number words in a row: `four thousand`, `twenty-five hundred`, `четыре тысячи`. */
function wordNumbers(text: string): NumberSpan[] {
  const out: NumberSpan[] = [];
  const words = text.match(WORD) ?? [];
  if (words.length === 0) return out;
  // Positions by one scan alongside: match() gives the words without an array per match.
  const starts = new Array<number>(words.length);
  let at = 0;
  for (let k = 0; k < words.length; k++) {
    at = text.indexOf(words[k]!, at);
    starts[k] = at;
    at += words[k]!.length;
  }
  let i = 0;
  while (i < words.length) {
    let total = 0;
    let current = 0;
    let numeric = 0;
    let j = i;
    let start = -1;
    let end = -1;
    for (; j < words.length; j++) {
      const raw = words[j]!.toLowerCase();
      const unit = unitOf(raw);
      // "a" and "an" count only when a scale word follows: "a thousand", not "a soldier".
      if (unit !== undefined && ((raw !== 'a' && raw !== 'an') || (words[j + 1] && scaleOf(words[j + 1]!) !== undefined))) current += unit;
      // Every other word continues a number only after one began: most words end here, with no scale test.
      else if (numeric === 0) break;
      else if (HUNDRED.has(raw)) current = (current || 1) * 100;
      else {
        const scale = scaleOf(raw);
        if (scale !== undefined) {
          total += (current || 1) * scale;
          current = 0;
        } else if (raw === 'and') continue;
        else break;
      }
      if (start < 0) start = starts[j]!;
      end = starts[j]! + words[j]!.length;
      numeric++;
    }
    const value = total + current;
    // One bare word ("two", "one") is too weak a figure on its own unless it carries a scale.
    if (numeric > 0 && value >= 100) out.push({ start, end, value });
    i = Math.max(j, i + 1);
  }
  return out;
}

/** Every number in `text`, with its scale word folded in (`4 тыс.` = 4,000), in order of position. */
export function findNumbers(text: string): NumberSpan[] {
  const spans: NumberSpan[] = [];
  for (const m of text.matchAll(KOREAN_NUMBER)) {
    if (!/[억만천백]/u.test(m[1]!)) continue;
    const value = koreanValue(m[1]!);
    if (value !== undefined) spans.push({ start: m.index!, end: m.index! + m[1]!.trimEnd().length, value });
  }
  // Only a Korean span can hold a later digit run: digit runs do not overlap, nor reach into the next one
  // (a scale word after one has no digits).
  const korean = spans.length;
  for (const m of text.matchAll(DIGITS)) {
    const start = m.index!;
    if (korean > 0 && spans.some((s, k) => k < korean && start >= s.start && start < s.end)) continue;
    let value = digitsValue(m[1]!, m[2]);
    let end = start + m[1]!.length;
    SCALE_AFTER.lastIndex = end;
    const after = SCALE_AFTER.exec(text);
    const scale = after ? scaleOf(after[1]!) : undefined;
    if (scale !== undefined) {
      value *= scale;
      end += after![0].length;
    }
    if (Number.isFinite(value)) spans.push({ start, end, value: Math.round(value * 1000) / 1000 });
  }
  for (const w of wordNumbers(text)) if (!spans.some((s) => w.start < s.end && s.start < w.end)) spans.push(w);
  return spans.sort((a, b) => a.start - b.start);
}
