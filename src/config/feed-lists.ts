import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { OpmlError, parseOpml } from '../feeds/opml/parse-opml.js';
import { planImport } from '../feeds/opml/plan-import.js';
import { listConfigSubdir, type SubdirProblem } from './config-subdir.js';
import { describeIssue } from './issue-words.js';
import { feedSchema } from './schema.js';

/**
 * Feed lists beside feeds.yaml: `feeds/*.yaml` (each like feeds.yaml) and `feeds/*.opml`
 * (subscription lists exported by feed readers), so 100,000 feeds need not sit in one file.
 */
const FEEDS_DIR = 'feeds';

/** The lists in `feeds/`, as paths relative to the config directory: YAML in name order, then OPML. */
export function feedListNames(dir: string): { yaml: string[]; opml: string[]; problem?: SubdirProblem } {
  const { names, problem } = listConfigSubdir(dir, FEEDS_DIR, /\.(ya?ml|opml)$/i);
  const path = (f: string) => `${FEEDS_DIR}/${f}`;
  return { yaml: names.filter((f) => !/\.opml$/i.test(f)).map(path), opml: names.filter((f) => /\.opml$/i.test(f)).map(path), problem };
}

export interface FeedListProblem {
  file: string;
  line: number;
  path: string;
  message: string;
}

/**
 * The feeds of an OPML file, as `newswatch feeds import` would add them: one per outline with an
 * `xmlUrl` whose URL is not configured yet (in `configured`, or earlier in the file), with an id from
 * its `newswatch:id` or title, unique among `configured`; folders become tags.
 */
export function readOpmlFeeds(
  dir: string,
  name: string,
  configured: { id: string; url: string }[],
): { feeds: z.output<typeof feedSchema>[]; problems: FeedListProblem[] } {
  const problem = (message: string, at = ''): FeedListProblem => ({ file: name, line: 1, path: at, message });
  let text: string;
  try {
    text = readFileSync(join(dir, name), 'utf8');
  } catch (err) {
    return { feeds: [], problems: [problem(`cannot read: ${(err as Error).message}`)] };
  }
  let outlines: ReturnType<typeof parseOpml>['feeds'];
  try {
    outlines = parseOpml(text).feeds;
  } catch (err) {
    if (err instanceof OpmlError) return { feeds: [], problems: [problem(err.message)] };
    throw err;
  }
  const feeds: z.output<typeof feedSchema>[] = [];
  const problems: FeedListProblem[] = [];
  for (const entry of planImport(configured, outlines).added) {
    const parsed = feedSchema.safeParse(entry);
    if (parsed.success) feeds.push(parsed.data);
    else
      problems.push(
        problem(
          `outline ${entry.url}: ${parsed.error.issues.map((i) => describeIssue(i, entry)).join('; ')}`,
          `outline[xmlUrl="${entry.url}"]`,
        ),
      );
  }
  return { feeds, problems };
}
