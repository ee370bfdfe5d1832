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
      comment: 'Folders that import each other (a folder and its subfolders count apart): move what they share into a leaf folder.',
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
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
