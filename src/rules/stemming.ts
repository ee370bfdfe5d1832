import type { Stemmer } from 'snowball-stemmers';
import { lazyDependency } from '../lazy-dependency.js';

/**
 * Snowball stemmers by language tag: a term written `~войска` (or any term of a rule with `stem: ru`)
 * matches every word with the same stem (`войска`, `войск`, `войсками`).
 */
const ALGORITHMS: Readonly<Record<string, { algorithm: string; script: RegExp }>> = {
  ru: { algorithm: 'russian', script: /\p{Script=Cyrillic}/u },
  en: { algorithm: 'english', script: /\p{Script=Latin}/u },
  de: { algorithm: 'german', script: /\p{Script=Latin}/u },
  fr: { algorithm: 'french', script: /\p{Script=Latin}/u },
  es: { algorithm: 'spanish', script: /\p{Script=Latin}/u },
  it: { algorithm: 'italian', script: /\p{Script=Latin}/u },
  pt: { algorithm: 'portuguese', script: /\p{Script=Latin}/u },
  nl: { algorithm: 'dutch', script: /\p{Script=Latin}/u },
  sv: { algorithm: 'swedish', script: /\p{Script=Latin}/u },
  no: { algorithm: 'norwegian', script: /\p{Script=Latin}/u },
  da: { algorithm: 'danish', script: /\p{Script=Latin}/u },
  fi: { algorithm: 'finnish', script: /\p{Script=Latin}/u },
  hu: { algorithm: 'hungarian', script: /\p{Script=Latin}/u },
  ro: { algorithm: 'romanian', script: /\p{Script=Latin}/u },
  tr: { algorithm: 'turkish', script: /\p{Script=Latin}/u },
  cs: { algorithm: 'czech', script: /\p{Script=Latin}/u },
  ar: { algorithm: 'arabic', script: /\p{Script=Arabic}/u },
};

export const STEM_LANGUAGES: readonly string[] = Object.keys(ALGORITHMS);

// Loaded on first use: rule sets without stems never pay for it.
const snowball = lazyDependency<typeof import('snowball-stemmers')>('snowball-stemmers');
const stemmers = new Map<string, Stemmer>();

export function stemmerFor(lang: string): Stemmer | undefined {
  const entry = ALGORITHMS[lang];
  if (!entry) return undefined;
  let stemmer = stemmers.get(lang);
  if (!stemmer) {
    stemmer = snowball().newStemmer(entry.algorithm);
    stemmers.set(lang, stemmer);
  }
  return stemmer;
}

/** Whether a rule-level `stem: lang` applies to this word: its letters are that language's script. */
export function stemApplies(lang: string, word: string): boolean {
  return ALGORITHMS[lang]?.script.test(word) ?? false;
}

/** The language a `~word` is stemmed in when its rule names none: Cyrillic -> ru, Latin -> en. */
export function stemLanguageOf(word: string): string | undefined {
  if (/\p{Script=Cyrillic}/u.test(word)) return 'ru';
  if (/\p{Script=Latin}/u.test(word)) return 'en';
  if (/\p{Script=Arabic}/u.test(word)) return 'ar';
  return undefined;
}
