import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/redis-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start daemons and servers; two cores do not gain from more.
    maxWorkers: 2,
    // Daemons started by tests (in-process or as `newswatch start`) must not all bind the default
    // 127.0.0.1:9464: port 0 gives each its own; tests read the bound address from the log or the Daemon.
    env: { NEWSWATCH_HTTP: '127.0.0.1:0' },
  },
});
