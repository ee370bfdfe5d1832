import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/redis-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start daemons and servers; two cores do not gain from more.
    maxWorkers: 2,
  },
});
