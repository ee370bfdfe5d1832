import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface SubdirProblem {
  file: string;
  line: number;
  path: string;
  message: string;
}

/**
 * The file names in a directory of the config (`rules/`, `feeds/`) that match `pattern`, sorted: none
 * when it does not exist, and a problem (never a throw) when it cannot be listed.
 */
export function listConfigSubdir(dir: string, sub: string, pattern: RegExp): { names: string[]; problem?: SubdirProblem } {
  const full = join(dir, sub);
  if (!existsSync(full)) return { names: [] };
  try {
    return {
      names: readdirSync(full)
        .filter((f) => pattern.test(f))
        .sort(),
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOTDIR'
        ? `${full} is a file: ${sub}/ must be a directory of ${sub === 'rules' ? 'rule' : 'feed list'} files (move the file into it)`
        : `cannot read the directory ${full} (${code ?? (err as Error).message}): make it readable by the user newswatch runs as (e.g. chmod a+rx ${full})`;
    return { names: [], problem: { file: `${sub}/`, line: 1, path: '', message } };
  }
}
