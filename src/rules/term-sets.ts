/**
 * Term sets (`terms.yaml`): named lists of terms and phrases in any language, used in queries as
 * `@name`. A member `@other` includes another set. Sets are flattened here, once per config, so the
 * parser only ever sees plain members and the presearch index keys stay ordinary words.
 */
import { closestName } from '../text/edit-distance.js';

interface TermSetProblem {
  /** The set's key as written in the file. */
  set: string;
  /** Index of the member concerned, when one is. */
  member?: number;
  message: string;
}

export interface ResolvedTermSets {
  sets: Map<string, string[]>;
  problems: TermSetProblem[];
}

const SET_NAME = /^[\p{L}\p{N}_-]+$/u;

/** `north_korea` and `@north_korea` name the same set. */
const setName = (key: string) => (key.startsWith('@') ? key.slice(1) : key);

export function resolveTermSets(raw: Readonly<Record<string, readonly string[]>>): ResolvedTermSets {
  const problems: TermSetProblem[] = [];
  const written = new Map<string, string>();
  for (const key of Object.keys(raw)) {
    const name = setName(key);
    if (!SET_NAME.test(name)) problems.push({ set: key, message: `term set name "${key}" may hold only letters, digits, '_' and '-'` });
    else if (written.has(name)) problems.push({ set: key, message: `term set "${name}" is defined twice` });
    else written.set(name, key);
  }

  const sets = new Map<string, string[]>();
  const visiting: string[] = [];
  const flatten = (name: string): string[] => {
    const done = sets.get(name);
    if (done) return done;
    const key = written.get(name) as string;
    visiting.push(name);
    const members: string[] = [];
    (raw[key] ?? []).forEach((member, i) => {
      const text = member.trim();
      if (!text.startsWith('@')) return void members.push(text);
      const ref = text.slice(1);
      if (!written.has(ref)) {
        const close = closestName(ref, written.keys());
        problems.push({ set: key, member: i, message: `unknown term set "${text}"${close ? ` (did you mean "@${close}"?)` : ''}` });
      } else if (visiting.includes(ref)) {
        const cycle = [...visiting.slice(visiting.indexOf(ref)), ref].map((n) => `@${n}`).join(' -> ');
        problems.push({ set: key, member: i, message: `term sets include each other in a cycle: ${cycle}` });
      } else members.push(...flatten(ref));
    });
    visiting.pop();
    const unique = [...new Set(members)];
    sets.set(name, unique);
    return unique;
  };
  for (const name of written.keys()) flatten(name);
  return { sets, problems };
}
