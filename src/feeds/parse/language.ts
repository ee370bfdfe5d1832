/**
 * The language of an article whose feed declares none, guessed from its script alone: Hangul is Korean,
 * kana Japanese, Cyrillic Russian (Ukrainian when it has і, ї, є or ґ), and so on. Latin script is shared
 * by too many languages to guess: those articles stay without a language.
 */
const SCRIPTS: readonly (readonly [RegExp, string])[] = [
  [/\p{Script=Hangul}/u, 'ko'],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, 'ja'],
  [/\p{Script=Han}/u, 'zh'],
  [/\p{Script=Cyrillic}/u, 'ru'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Devanagari}/u, 'hi'],
];
const UKRAINIAN_LETTERS = /[іїєґІЇЄҐ]/u;
const LETTER = /\p{L}/u;
/** Every script above starts at U+0370 (Greek) or later: below it are Latin, common and combining characters. */
const FIRST_SCRIPT_CHAR = 0x0370;
const ANY_SCRIPT_CHAR = /[\u0370-\uffff]/;
/** Enough letters to decide; the rest of a long article changes nothing. */
const SAMPLE_CHARS = 600;

export function languageFromScript(text: string): string | undefined {
  const sample = text.slice(0, SAMPLE_CHARS);
  // Most articles are in Latin script: nothing to count, so no language (as below, without a test per letter).
  if (!ANY_SCRIPT_CHAR.test(sample)) return undefined;
  const counts = new Map<string, number>();
  let letters = 0;
  for (const ch of sample) {
    if (!LETTER.test(ch)) continue;
    letters++;
    if (ch.charCodeAt(0) < FIRST_SCRIPT_CHAR) continue;
    const found = SCRIPTS.find(([re]) => re.test(ch));
    if (found) counts.set(found[1], (counts.get(found[1]) ?? 0) + 1);
  }
  // Japanese mixes kana with Han: any kana makes Han text Japanese.
  if ((counts.get('ja') ?? 0) > 0) counts.set('ja', (counts.get('ja') ?? 0) + (counts.get('zh') ?? 0));
  const [lang, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (lang === undefined || count === undefined || count * 2 < letters) return undefined;
  return lang === 'ru' && UKRAINIAN_LETTERS.test(sample) ? 'uk' : lang;
}
