import { defineConfig } from 'vitest/config';

// Three projects, so `npm run test:unit` runs the pure tests in seconds without starting redis-server;
// `npm test` (the README's and .ci/run's command) runs all three.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start daemons and servers; two cores do not gain from more.
    maxWorkers: 2,
    projects: [
      // Pure code: no Redis, no processes, no network beyond loopback servers started in-process. Files share
      // a worker thread's modules (half the CPU of isolating each): a unit test restores what it changes.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false, pool: 'threads' } },
      // The third-party feed corpus through the parser (../shared/corpus); no Redis.
      { extends: true, test: { name: 'corpus', include: ['test/corpus/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/redis-global-setup.ts'],
          // Daemons started by tests (in-process or as `newswatch start`) must not all bind the default
          // 127.0.0.1:9464: port 0 gives each its own; tests read the bound address from the log or the Daemon.
          env: { NEWSWATCH_HTTP: '127.0.0.1:0' },
        },
      },
    ],
  },
});
