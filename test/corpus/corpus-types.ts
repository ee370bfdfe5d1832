import type { Article } from '../../src/articles/article.js';
/** Messages between the corpus test and its child process. */
export interface CorpusJob {
  file: string;
  kind: 'wellformed' | 'illformed' | 'unknown';
  format: string;
  expect: string;
  contentType?: string;
}

type FirstArticle = Pick<Article, 'title' | 'link' | 'summary' | 'content' | 'author' | 'categories' | 'published'>;

export type FileOutcome =
  | {
      status: 'parsed';
      ms: number;
      format: string;
      title: string;
      link: string;
      articleCount: number;
      first?: FirstArticle;
      invariantErrors: string[];
    }
  | { status: 'rejected'; ms: number; code: string; message: string }
  /** Anything but a FeedParseError escaped parseFeed: a contract violation. */
  | { status: 'threw'; ms: number; message: string }
  /** The child died (uncaught error, out of memory) or stopped answering within the time limit. */
  | { status: 'crashed' | 'hung'; message: string };

export type WorkerMessage = { type: 'start'; index: number } | { type: 'done'; index: number; outcome: FileOutcome };

export interface CorpusRun {
  root: string;
  jobs: CorpusJob[];
  /** Index of the first job this child does (a replacement child starts after a hung or crashed file). */
  start: number;
}
