/**
 * Import rules, checked by `npm run lint:cycles` (dependency-cruiser). Type-only imports count:
 * a circle a reader has to follow is a circle, whether or not it survives compilation.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules that import each other, directly or around a circle: move what they share into a leaf module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      comment:
        'Folders that import each other: move what they share into a leaf folder. (This rule folds a subfolder into its parent; test/unit/architecture/folder-cycles.test.ts checks a folder against its own subfolders.)',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-stands-alone',
      comment: 'src/ is the product; workers/, bench/ and test/ build on it, never the other way.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(workers|bench|test)/' },
    },
    {
      name: 'pure-logic-stays-pure',
      comment:
        'Rule language, clustering, text, facts, parsing and config fields are pure: no Redis, no network, no processes. ' +
        'Workers and state modules bring those in and call the pure code.',
      severity: 'error',
      from: { path: '^src/(rules|stories|text|facts|articles|retry|feeds/parse|feeds/opml|config/fields)/' },
      to: {
        path: '(^|/)node_modules/(ioredis|bullmq|undici|nodemailer|express|@bull-board|redis-semaphore|rate-limiter-flexible)/|^(http|https|net|child_process)$|^src/(state|queues|workers|daemon|http)/',
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Old commits' src/ that bench/config.ts and bench/redis.ts unpack (git-ignored) to compare against.
    exclude: { path: '^bench/\\.baseline/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
