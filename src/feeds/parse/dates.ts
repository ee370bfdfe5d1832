/**
 * Feed dates: RFC 3339 / W3C-DTF (Atom, dc:date, JSON Feed) and RFC 822 / RFC 2822 (RSS), plus the
 * broken variants feeds actually publish: two-digit years, missing seconds or weekday, wrong weekday,
 * full month names, zone names (EST, CEST), "+05:30" offsets in RFC 822 dates, a space instead of "T".
 * A date without a zone is taken as UTC, so the result never depends on the machine's time zone.
 */

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
  // Common non-English abbreviations seen in feeds (German, French, Spanish, Dutch).
  mär: 2,
  mrz: 2,
  mai: 4,
  okt: 9,
  dez: 11,
  janv: 0,
  févr: 1,
  fevr: 1,
  avr: 3,
  juin: 5,
  juil: 6,
  août: 7,
  aout: 7,
  déc: 11,
  ene: 0,
  abr: 3,
  ago: 7,
  dic: 11,
  mrt: 2,
  mei: 4,
};

/** Offsets in minutes east of UTC for zone names feeds use. */
const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  wet: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  ast: -240,
  adt: -180,
  nst: -210,
  ndt: -150,
  bst: 60,
  ist: 330,
  cet: 60,
  cest: 120,
  met: 60,
  mest: 120,
  west: 60,
  eet: 120,
  eest: 180,
  msk: 180,
  jst: 540,
  kst: 540,
  hkt: 480,
  sgt: 480,
  awst: 480,
  acst: 570,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
};

const ISO_DATE =
  /^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:(?:T|\s+)(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?)?\s*(Z|[A-Za-z]{1,5}|[+-]\d{1,2}(?::?\d{2})?)?$/;

const RFC822_DATE = /^(\d{1,2})[\s-]+([^\s\d.,-]+)\.?,?[\s-]+(\d{2,4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(.*)$/;

/** Month-first variant: "Apr 06 2004 23:05:43 GMT" and "April 6, 2004 11:05 PM". */
const MONTH_FIRST_DATE =
  /^([^\s\d.,-]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{2,4})(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?\s*(.*)$/i;

/** Parses a feed date, or returns undefined when nothing sensible can be read from it. */
export function parseFeedDate(raw: string | undefined): Date | undefined {
  const value = raw?.replace(/\s+/g, ' ').trim();
  if (!value) return undefined;
  return parseIso(value) ?? parseRfc822(value) ?? parseMonthFirst(value);
}

function parseIso(value: string): Date | undefined {
  const m = ISO_DATE.exec(value);
  if (!m) return undefined;
  const offset = zoneOffset(m[8]);
  if (offset === undefined) return undefined;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  return build(+m[1]!, m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1, num(m[4]), num(m[5]), num(m[6]), fraction, offset);
}

function parseRfc822(value: string): Date | undefined {
  // The weekday is informative only (and often wrong): drop it.
  const withoutWeekday = value.replace(/^[A-Za-z\u00C0-\u024F]+\.?,?\s*/, (w) => (/\d/.test(w) ? w : ''));
  const m = RFC822_DATE.exec(withoutWeekday);
  if (!m) return undefined;
  const month = monthIndex(m[2]!);
  const offset = zoneOffset(m[7]);
  if (month === undefined || offset === undefined) return undefined;
  return build(fullYear(m[3]!), month, +m[1]!, num(m[4]), num(m[5]), num(m[6]), 0, offset);
}

function parseMonthFirst(value: string): Date | undefined {
  const withoutWeekday = value.replace(/^[A-Za-z]+,\s*/, '');
  const m = MONTH_FIRST_DATE.exec(withoutWeekday);
  if (!m) return undefined;
  const month = monthIndex(m[1]!);
  const offset = zoneOffset(m[8]);
  if (month === undefined || offset === undefined) return undefined;
  let hour = num(m[4]);
  const meridiem = m[7]?.[0]?.toLowerCase();
  if (meridiem === 'p' && hour < 12) hour += 12;
  if (meridiem === 'a' && hour === 12) hour = 0;
  return build(fullYear(m[3]!), month, +m[2]!, hour, num(m[5]), num(m[6]), 0, offset);
}

function monthIndex(name: string): number | undefined {
  const lower = name.toLowerCase();
  return MONTHS[lower] ?? MONTHS[lower.slice(0, 4)] ?? MONTHS[lower.slice(0, 3)];
}

/** Minutes east of UTC for a zone designator; '' or undefined means UTC; undefined for an unknown name. */
function zoneOffset(zone: string | undefined): number | undefined {
  const z = (zone ?? '').trim().replace(/^\(|\)$/g, '');
  if (!z) return 0;
  const numeric = /^(?:(?:GMT|UTC|UT)\s*)?([+-])(\d{1,2}):?(\d{2})?(?:\s*\(.*\))?$/i.exec(z);
  if (numeric) {
    const sign = numeric[1] === '-' ? -1 : 1;
    let hours = +numeric[2]!;
    let minutes = numeric[3] ? +numeric[3] : 0;
    // "+530" read as one run of digits: 5 h 30 min.
    if (!numeric[3] && numeric[2]!.length > 2) [hours, minutes] = [Math.floor(hours / 100), hours % 100];
    if (hours > 14 || minutes > 59) return undefined;
    return sign * (hours * 60 + minutes);
  }
  // "EST", "GMT (Greenwich Mean Time)", "CEST Europe/Berlin": the first word decides.
  const name = /^[A-Za-z]+/.exec(z)?.[0]?.toLowerCase();
  return name === undefined ? undefined : ZONES[name];
}

function fullYear(year: string): number {
  const y = +year;
  if (year.length > 2) return y;
  return y < 50 ? 2000 + y : 1900 + y;
}

function num(value: string | undefined): number {
  return value ? +value : 0;
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number,
): Date | undefined {
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  if (year < 1900 || year > 2200) return undefined;
  const time = Date.UTC(year, month, day, hour, minute, Math.min(second, 59), Math.round(ms)) - offsetMinutes * 60_000;
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
