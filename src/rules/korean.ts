/**
 * Korean writes particles and endings onto the word they follow, with no space: `북한은`, `북한이`,
 * `북한의`. A Hangul query word matches an article word that is the query word plus one of these;
 * a compound (`북한군`) is a different word, reached with an explicit wildcard (`북한*`).
 */

/**
 * Particles and their common combinations, and the endings of verbs made from a noun with 하다/되다/시키다
 * (`파병했다` = `파병` + `했다`); longest first so `에서는` is not read as `는`.
 */
const KOREAN_PARTICLES: readonly string[] = [
  '했다고', '한다고', '하기로', '했으며', '되었다', '시켰다', '시킨다', '하겠다',
  '했다', '한다', '하다', '하는', '하고', '하며', '했고', '했던', '됐다', '된다', '되는', '되어', '됐고', '시킨',
  '에서부터', '으로부터', '에게서는',
  '에서는', '에서도', '에서의', '에서만', '에게는', '에게도', '으로는', '으로도', '으로의', '으로서', '으로써',
  '까지는', '까지도', '부터는', '이라고', '이라는', '이라며', '이지만', '만으로',
  '에서', '에게', '으로', '에는', '에도', '에만', '와는', '과는', '와의', '과의', '와도', '과도', '로는', '로도', '로의',
  '만이', '만을', '만은', '까지', '부터', '보다', '처럼', '이나', '이며', '이고', '라고', '라는', '께서', '한테', '이다',
  '은', '는', '이', '가', '을', '를', '의', '에', '로', '와', '과', '도', '만', '나', '할', '한', '해', '된', '돼',
];

const HANGUL_SYLLABLE = /^[\uac00-\ud7a3]+$/u;

/** The word without a particle it may end in (`북한은` -> `북한`), longest particle first; none for non-Hangul. */
export function koreanBases(word: string): string[] {
  if (!HANGUL_SYLLABLE.test(word)) return [];
  return KOREAN_PARTICLES.filter((p) => word.length > p.length && word.endsWith(p)).map((p) => word.slice(0, -p.length));
}
