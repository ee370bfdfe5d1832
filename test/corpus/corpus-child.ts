/**
 * Runs parseFeed over corpus files in a child process (started by corpus.test.ts with `node --import tsx`),
 * so the test can stop a file that hangs or exhausts memory and carry on with the next one.
 * Receives one CorpusRun, reports 'start' before and 'done' after each file, then exits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeedParseError, parseFeed } from '../../src/feeds/parse/index.js';
import type { CorpusJob, CorpusRun, FileOutcome, WorkerMessage } from './corpus-types.js';

const fetchedAt = new Date('2000-01-01T00:00:00Z');

function post(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, (error: Error | null) => (error ? reject(error) : resolve())));
}

process.once('message', async ({ root, jobs, start }: CorpusRun) => {
  for (let index = start; index < jobs.length; index++) {
    await post({ type: 'start', index });
    await post({ type: 'done', index, outcome: await parseOne(root, jobs[index]!) });
  }
  process.disconnect();
});

async function parseOne(root: string, job: CorpusJob): Promise<FileOutcome> {
  const body = readFileSync(join(root, job.file));
  const began = performance.now();
  try {
    const feed = await parseFeed(body, {
      feedId: 'corpus',
      url: `http://corpus.example/${job.file}`,
      contentType: job.contentType,
      fetchedAt,
    });
    const first = feed.articles[0];
    return {
      status: 'parsed',
      ms: performance.now() - began,
      format: feed.format,
      title: feed.title,
      link: feed.link,
      articleCount: feed.articles.length,
      first: first && {
        title: first.title,
        link: first.link,
        summary: first.summary,
        content: first.content,
        author: first.author,
        categories: first.categories,
        published: first.published,
      },
      invariantErrors: feed.articles.flatMap((article) => articleInvariantErrors(article, fetchedAt)),
    };
  } catch (error) {
    if (error instanceof FeedParseError) {
      return { status: 'rejected', ms: performance.now() - began, code: error.code, message: error.message };
    }
    return { status: 'threw', ms: performance.now() - began, message: String((error as Error)?.stack ?? error) };
  }
}

/** What every Article must satisfy whatever the input: the pipeline relies on these. */
function articleInvariantErrors(article: import('../../src/articles/article.js').Article, fetched: Date): string[] {
  const errors: string[] = [];
  if (!/^[A-Za-z0-9_-]{22}$/.test(article.id) || /^\d+$/.test(article.id)) errors.push(`bad id ${article.id}`);
  for (const key of ['title', 'link', 'summary', 'content', 'author'] as const) {
    if (typeof article[key] !== 'string') errors.push(`${key} is not a string`);
    else if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(article[key])) errors.push(`${key} has control characters`);
  }
  if (article.link && !/^https?:\/\//.test(article.link)) errors.push(`link is not http(s): ${article.link}`);
  if (Number.isNaN(Date.parse(article.published))) errors.push(`published is not a date: ${article.published}`);
  if (article.fetchedAt !== fetched.toISOString()) errors.push('fetchedAt changed');
  if (!Array.isArray(article.categories) || article.categories.some((c) => typeof c !== 'string' || !c)) {
    errors.push('categories are not non-empty strings');
  }
  return errors;
}
