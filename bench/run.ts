/**
 * `npm run bench`: every benchmark in turn; each prints its own Markdown section.
 * `npm run bench -- ingest --quick`: only the named ones; the other arguments go to them.
 */
const BENCHES: Record<string, string> = {
  pipeline: './pipeline.js',
  rules: './rules.js',
  'rules-regex': './rules-regex.js',
  stories: './stories.js',
  ingest: './ingest.js',
  'fetch-job': './fetch-job.js',
  facts: './facts.js',
  redis: './redis.js',
  'cli-start': './cli-start.js',
  config: './config.js',
};

const named = process.argv.slice(2).filter((arg) => arg in BENCHES);
for (const name of named.length > 0 ? named : Object.keys(BENCHES)) await import(BENCHES[name]!);
